import fs from 'node:fs';
import path from 'node:path';
import { buildRuleMap, renderRuleMap, type RuleMap } from './ruleMap';

/** The repository root (the nearest folder with a package.json), from source or from dist/. */
export function repositoryRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(path.dirname(dir)) === 'dist') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** ../shared/spec/rules.md when it is beside the repository (a clone has only docs/). */
export function specText(root: string): string | undefined {
  const spec = path.join(root, '..', 'shared', 'spec', 'rules.md');
  return fs.existsSync(spec) ? fs.readFileSync(spec, 'utf8') : undefined;
}

/** The OpenAPI document the app serves at /api/openapi.json, built by loading every HTTP function. */
export async function exportedOpenApi(): Promise<string> {
  const warn = console.warn;
  console.warn = () => undefined; // "@azure/functions is in test mode": nothing is registered outside a host, as intended
  try {
    // Each HTTP function file registers its own OpenAPI path; the entry point is not loaded (it builds the services).
    // The source folder names them (dist/ may hold files of removed functions).
    const sources = path.join(repositoryRoot(), 'functions', 'http');
    for (const file of fs
      .readdirSync(sources)
      .filter((f) => f.endsWith('.ts'))
      .sort())
      await import(path.join(__dirname, '..', '..', 'functions', 'http', file.replace(/\.ts$/, '')));
  } finally {
    console.warn = warn;
  }
  const { openApiDocument } = await import('../../functions/http/conventions/openApi');
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

export interface GeneratedDocs {
  map: RuleMap;
  files: Record<string, string>;
}

/** What docs/ should hold now: the rule map and the OpenAPI document. */
export async function generateDocs(root = repositoryRoot()): Promise<GeneratedDocs> {
  const map = buildRuleMap(root, specText(root));
  return { map, files: { 'docs/rules.md': renderRuleMap(map), 'docs/openapi.json': await exportedOpenApi() } };
}

/** The docs/ files that differ from what would be generated now. */
export function staleDocs(root: string, files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([file, text]) => {
      const full = path.join(root, file);
      return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== text;
    })
    .map(([file]) => file);
}
