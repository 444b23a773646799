// Bundles the operator page at build time (no CDN at run time): esbuild → dist/ui/app.js, plus the static files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'dist', 'ui');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  outfile: path.join(out, 'app.js'),
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) copyFileSync(path.join(here, file), path.join(out, file));
