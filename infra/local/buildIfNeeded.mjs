// `npm start` builds only when a source file is newer than the last build (tsc's build info), so a warm start
// skips the type-check. Plain JavaScript: it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const stamp = path.join(root, 'dist/.tsbuildinfo');
// The folders tsconfig.build.json compiles (read from it, so a new top-level folder is not missed), and the page's.
const sources = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'))
  .include.concat(['ui'])
  .filter((dir) => fs.existsSync(path.join(root, dir)));

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|css|html|mjs)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const configs = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map(
  (f) => fs.statSync(path.join(root, f)).mtimeMs,
);
const newest = Math.max(...configs, ...sources.map((d) => newestSource(path.join(root, d))));
if (newest > built) {
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
  execFileSync(process.execPath, [path.join(root, 'tools/pruneDist.mjs')], { stdio: 'inherit' }); // outputs of deleted sources
  execFileSync(process.execPath, [path.join(root, 'ui/build.mjs')], { stdio: 'inherit' }); // the operator page
  // tsc leaves its build info alone when no output changed (a checkout that rewrote files as they were), so the
  // stamp is touched here: the next start does not type-check again.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
