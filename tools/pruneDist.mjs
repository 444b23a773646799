// Removes compiled files whose TypeScript source is gone (tsc never deletes its old outputs), so a renamed or
// deleted module cannot linger in dist/ and be staged for deployment. Run after tsc by `npm run build` and npm start.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTPUT = /\.(js|js\.map|d\.ts)$/;

/** Deletes dist/<dir>/**.js(.map) and .d.ts without a matching .ts under <dir>; returns the removed paths. */
export function pruneDist(root, dirs) {
  const removed = [];
  const walk = (relative) => {
    const full = path.join(root, 'dist', relative);
    for (const entry of fs.readdirSync(full, { withFileTypes: true })) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        walk(child);
        if (fs.readdirSync(path.join(root, 'dist', child)).length === 0) fs.rmdirSync(path.join(root, 'dist', child));
      } else if (OUTPUT.test(entry.name) && !fs.existsSync(path.join(root, child.replace(OUTPUT, '.ts')))) {
        fs.rmSync(path.join(root, 'dist', child));
        removed.push(child);
      }
    }
  };
  for (const dir of dirs) if (fs.existsSync(path.join(root, 'dist', dir))) walk(dir);
  return removed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // The project root: this file's parent folder, or the first argument (tests).
  const root = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { include } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
  const removed = pruneDist(root, include);
  if (removed.length) console.log(`pruneDist: removed ${removed.length} stale compiled file(s) from dist/`);
}
