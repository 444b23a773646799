import fs from 'node:fs';
import path from 'node:path';

/** End-to-end tests run the built host (dist/); `npm test` builds first. Fail early with a clear message. */
export default function setup(): void {
  const main = path.resolve(__dirname, '../../dist/infra/local/main.js');
  if (!fs.existsSync(main)) throw new Error('dist/ is missing: run `npm run build` (npm test does this) before vitest.');
}
