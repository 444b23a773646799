import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEntryError, locateApp, matchEntryPoint } from '../../infra/local/appLoader';

const samples = path.resolve(__dirname, '../fixtures/samplesApp');

describe('local host: the app entry point read as the Node worker reads package.json main', () => {
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-'));
    for (const file of ['dist/src/index.js', 'dist/src/functions/a.js', 'dist/src/functions/b.js', 'dist/src/other.js'])
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    for (const file of ['dist/src/index.js', 'dist/src/functions/a.js', 'dist/src/functions/b.js', 'dist/src/other.js'])
      fs.writeFileSync(path.join(dir, file), '');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const relative = (files: string[]) => files.map((f) => path.relative(dir, f)).sort();

  it('matches a plain path, a glob and a brace list (the azd quickstart main)', () => {
    expect(relative(matchEntryPoint('dist/src/index.js', dir))).toEqual(['dist/src/index.js']);
    expect(relative(matchEntryPoint('dist/src/functions/*.js', dir))).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
    ]);
    expect(relative(matchEntryPoint('dist/src/{index.js,functions/*.js}', dir))).toEqual([
      'dist/src/functions/a.js',
      'dist/src/functions/b.js',
      'dist/src/index.js',
    ]);
  });

  it("says 'File does not exist' for a missing path and 'Found zero files' for a glob matching nothing, as the worker does", () => {
    expect(() => matchEntryPoint('dist/index.js', dir)).toThrow(/File does not exist/);
    expect(() => matchEntryPoint('build/**/*.js', dir)).toThrow(/Found zero files matching the supplied pattern/);
  });

  it('takes an app folder (its package.json main decides) as well as an entry file', () => {
    const folder = locateApp(samples, process.cwd());
    expect(folder.root).toBe(samples);
    expect(folder.entryFiles.map((f) => path.relative(samples, f)).sort()).toEqual(
      fs
        .readdirSync(path.join(samples, 'dist/functions'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => `dist/functions/${f}`)
        .sort(),
    );
    expect(folder.hostJson['extensions']).toBeDefined();

    const file = locateApp(path.join(samples, 'dist/functions/sayHello.js'), process.cwd());
    expect(file.root).toBe(samples);
    expect(file.entryFiles).toEqual([path.join(samples, 'dist/functions/sayHello.js')]);
  });

  it('refuses a folder without package.json main, and a path that does not exist, with one clear error', () => {
    expect(() => locateApp(dir, process.cwd())).toThrow(AppEntryError);
    expect(() => locateApp(dir, process.cwd())).toThrow(/no package.json 'main'/);
    expect(() => locateApp(path.join(dir, 'nope'), process.cwd())).toThrow(/does not exist/);
  });

  it('loads an ES module entry with a real import() (compiled host, plain Node) and names an entry that fails', async () => {
    fs.writeFileSync(path.join(dir, 'esm.mjs'), "console.log('loaded', import.meta.url);\n");
    fs.writeFileSync(path.join(dir, 'broken.js'), "throw new Error('boom at load');\n");
    const loader = path.resolve(__dirname, '../../dist/infra/local/appLoader.js');
    const script = (file: string) =>
      `require(${JSON.stringify(loader)}).loadEntryFiles({ root: ${JSON.stringify(dir)}, entryFiles: [${JSON.stringify(
        path.join(dir, file),
      )}], hostJson: {} }).catch((e) => { console.log(e.message); })`;
    expect(execFileSync(process.execPath, ['-e', script('esm.mjs')], { encoding: 'utf8' })).toMatch(
      /^loaded file:.*esm\.mjs/,
    );
    expect(execFileSync(process.execPath, ['-e', script('broken.js')], { encoding: 'utf8' })).toMatch(
      /unable to load entry point "broken.js": boom at load/,
    );
  });
});
