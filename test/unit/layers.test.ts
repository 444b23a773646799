import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(|import\s+)\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

function resolvesInto(file: string, spec: string, folder: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.relative(root, path.resolve(path.dirname(file), spec));
  return target === folder || target.startsWith(`${folder}${path.sep}`);
}

const rel = (file: string) => path.relative(root, file);
const isSdk = (spec: string) => spec.startsWith('@azure/') || spec === 'durable-functions';

/** `file -> import` for every import of `dirs` that `forbidden` rejects. */
function offending(dirs: string[], forbidden: (file: string, spec: string) => boolean): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) =>
      imports(file)
        .filter((spec) => forbidden(file, spec))
        .map((spec) => `${rel(file)} -> ${spec}`),
    ),
  );
}

describe('layer rules (architecture.md: dependencies point inward)', () => {
  it('domain/ imports nothing from app/, functions/, orchestrations/ or infra/, and no Azure SDK', () => {
    const offenders = offending(
      ['domain'],
      (file, spec) =>
        ['app', 'functions', 'orchestrations', 'infra'].some((f) => resolvesInto(file, spec, f)) || isSdk(spec),
    );
    expect(offenders).toEqual([]);
  });

  it('app/ imports only domain/, app/ and the orchestrations’ names modules: no trigger, adapter or SDK', () => {
    const offenders = offending(['app'], (file, spec) => {
      if (!spec.startsWith('.')) return isSdk(spec);
      const target = rel(path.resolve(path.dirname(file), spec));
      const orchestrationNames = /^orchestrations\/[^/]+\/names$/.test(target.split(path.sep).join('/'));
      return !(resolvesInto(file, spec, 'domain') || resolvesInto(file, spec, 'app') || orchestrationNames);
    });
    expect(offenders).toEqual([]);
  });

  it('orchestrations/ never import functions/ (the triggers are the outermost layer)', () => {
    expect(offending(['orchestrations'], (file, spec) => resolvesInto(file, spec, 'functions'))).toEqual([]);
  });

  it('the local host (infra/local) is imported only by itself, tests and benchmarks', () => {
    const offenders = offending(
      ['app', 'functions', 'orchestrations', 'domain', 'infra'],
      (file, spec) =>
        !rel(file).startsWith(path.join('infra', 'local')) && resolvesInto(file, spec, path.join('infra', 'local')),
    );
    expect(offenders).toEqual([]);
  });

  it('configuration is parsed and the services built once, at start-up, by the entry point (functions/index.ts)', () => {
    const entry = path.join('functions', 'index.ts');
    const readers = offending(
      ['app', 'functions', 'orchestrations', 'domain'],
      (file, spec) => rel(file) !== entry && resolvesInto(file, spec, path.join('infra', 'config')),
    );
    const builders = ['app', 'functions', 'orchestrations', 'domain', 'infra']
      .flatMap(sourceFiles)
      .filter((file) => ![entry, path.join('infra', 'compositionRoot.ts')].includes(rel(file)))
      .filter((file) => !rel(file).startsWith(path.join('infra', 'local')))
      .filter((file) => imports(file).some((spec) => resolvesInto(file, spec, path.join('infra', 'compositionRoot'))))
      .filter((file) => /\b(buildServices|startServices)\(/.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect([...readers, ...builders]).toEqual([]);
    expect(fs.readFileSync(path.join(root, entry), 'utf8')).toMatch(/startServices\(buildServices\(config\(\)\)\)/);
  });

  it('only the entry point imports the composition root: triggers and activities get their services from their factories', () => {
    const entry = path.join('functions', 'index.ts');
    const offenders = offending(
      ['app', 'functions', 'orchestrations', 'domain'],
      (file, spec) => rel(file) !== entry && resolvesInto(file, spec, path.join('infra', 'compositionRoot')),
    );
    expect(offenders).toEqual([]);
  });

  it('functions/, orchestrations/ and app/ never import a storage adapter (infra/tables): only the composition root builds them', () => {
    const offenders = offending(['app', 'functions', 'orchestrations'], (file, spec) =>
      resolvesInto(file, spec, path.join('infra', 'tables')),
    );
    expect(offenders).toEqual([]);
  });

  it('only infra/config.ts reads process.env in app code', () => {
    const offenders = ['app', 'functions', 'orchestrations', 'domain', 'infra']
      .flatMap(sourceFiles)
      .filter((file) => !rel(file).startsWith(path.join('infra', 'local')))
      .filter((file) => rel(file) !== path.join('infra', 'config.ts'))
      .filter((file) => /process\.env/.test(fs.readFileSync(file, 'utf8')))
      .map(rel);
    expect(offenders).toEqual([]);
  });

  it('functions/: one function per trigger file, registered and exported under the file’s name', () => {
    const triggers = ['http', 'serviceBus', 'timers'].flatMap((dir) =>
      fs
        .readdirSync(path.join(root, 'functions', dir), { withFileTypes: true })
        .filter((e) => e.isFile() && e.name.endsWith('.ts'))
        .map((e) => path.join(root, 'functions', dir, e.name)),
    );
    const offenders = triggers.flatMap((file) => {
      const name = path.basename(file, '.ts');
      const text = fs.readFileSync(file, 'utf8');
      const registered = [...text.matchAll(/(?:endpoint|app\.http|df\.app\.client\.\w+|app\.\w+)\(\s*'([^']+)'/g)].map(
        (m) => m[1],
      );
      const problems: string[] = [];
      if (registered.length !== 1 || registered[0] !== name)
        problems.push(`${rel(file)} registers [${registered.join(', ')}], expected [${name}]`);
      if (!new RegExp(`export (const|function|async function) ${name}\\b`).test(text))
        problems.push(`${rel(file)} does not export ${name}`);
      return problems;
    });
    expect(triggers.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
