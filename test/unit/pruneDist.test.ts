import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const script = path.resolve(__dirname, '../../tools/pruneDist.mjs');
let root: string | undefined;
afterEach(() => root && fs.rmSync(root, { recursive: true, force: true }));

function write(relative: string) {
  fs.mkdirSync(path.dirname(path.join(root!, relative)), { recursive: true });
  fs.writeFileSync(path.join(root!, relative), '');
}

it('npm run build removes compiled files whose source is gone, and nothing else', () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'usl-prune-'));
  fs.writeFileSync(path.join(root, 'tsconfig.build.json'), JSON.stringify({ include: ['domain', 'functions'] }));
  for (const file of ['domain/kept.ts', 'domain/kept.json', 'functions/http/live.ts']) write(file);
  const kept = [
    'dist/domain/kept.js',
    'dist/domain/kept.js.map',
    'dist/domain/kept.json', // emitted for a JSON import: not an output of a .ts
    'dist/functions/http/live.js',
    'dist/ui/app.js', // the page's bundle (ui/build.mjs), outside tsconfig.build.json's folders
  ];
  const stale = ['dist/domain/renamed.js', 'dist/domain/renamed.js.map', 'dist/functions/gone/old.js'];
  for (const file of [...kept, ...stale]) write(file);

  const output = execFileSync(process.execPath, [script, root], { encoding: 'utf8' });

  expect(output).toContain('removed 3 stale compiled file(s)');
  for (const file of kept) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
  for (const file of stale) expect(fs.existsSync(path.join(root, file)), file).toBe(false);
  expect(fs.existsSync(path.join(root, 'dist/functions/gone'))).toBe(false); // emptied folders go too
  // A second run finds nothing to do.
  expect(execFileSync(process.execPath, [script, root], { encoding: 'utf8' })).toBe('');
});
