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
  return [...text.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

function resolvesInto(file: string, spec: string, folder: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = path.relative(root, path.resolve(path.dirname(file), spec));
  return target === folder || target.startsWith(`${folder}${path.sep}`);
}

describe('layer rules (architecture.md: dependencies point inward)', () => {
  it('domain/ imports nothing from functions/, orchestrations/ or infra/, and no Azure SDK', () => {
    const offenders = sourceFiles('domain').flatMap((file) =>
      imports(file)
        .filter(
          (spec) =>
            ['functions', 'orchestrations', 'infra'].some((f) => resolvesInto(file, spec, f)) ||
            spec.startsWith('@azure/') ||
            spec === 'durable-functions',
        )
        .map((spec) => `${path.relative(root, file)} -> ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('orchestrations/ and app/ never import functions/ (the triggers are the outermost layer)', () => {
    const offenders = ['orchestrations', 'app'].flatMap((dir) =>
      sourceFiles(dir).flatMap((file) =>
        imports(file)
          .filter((spec) => resolvesInto(file, spec, 'functions'))
          .map((spec) => `${path.relative(root, file)} -> ${spec}`),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('app code never imports the local host (infra/local)', () => {
    const offenders = ['app', 'functions', 'orchestrations', 'domain', 'infra'].flatMap((dir) =>
      sourceFiles(dir)
        .filter((file) => !path.relative(root, file).startsWith(path.join('infra', 'local')))
        .flatMap((file) =>
          imports(file)
            .filter((spec) => resolvesInto(file, spec, path.join('infra', 'local')))
            .map((spec) => `${path.relative(root, file)} -> ${spec}`),
        ),
    );
    expect(offenders).toEqual([]);
  });

  it('only infra/config.ts reads process.env in app code', () => {
    const offenders = ['app', 'functions', 'orchestrations', 'domain', 'infra']
      .flatMap(sourceFiles)
      .filter((file) => !path.relative(root, file).startsWith(path.join('infra', 'local')))
      .filter((file) => path.relative(root, file) !== path.join('infra', 'config.ts'))
      .filter((file) => /process\.env/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
