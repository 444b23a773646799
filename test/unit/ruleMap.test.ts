import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDocs, repositoryRoot, specText, staleDocs } from '../../tools/rules/docs';
import { buildRuleMap, readCommittedMap, readSpec, unreached } from '../../tools/rules/ruleMap';

const root = repositoryRoot(__dirname);

describe('rule map (npm run rules): every rule reachable, nothing kept by a helper alone, docs/ current', () => {
  let map: Awaited<ReturnType<typeof generateDocs>>['map'];
  let files: Record<string, string>;
  beforeAll(async () => {
    ({ map, files } = await generateDocs(root));
  });

  it('every rule ID of rules.md has a reading, agreeing with section 9', () => {
    expect(map.problems).toEqual([]);
    expect(map.rules.length).toBeGreaterThanOrEqual(81);
  });

  it('every rule ID is named by an end-to-end or orchestration test', () => {
    expect(unreached(map)).toEqual([]);
  });

  it('no domain export is called by tests alone', () => {
    expect(map.deadExports).toEqual([]);
  });

  it('docs/rules.md and docs/openapi.json are up to date (if not: run `npm run rules` and commit docs/)', () => {
    expect(staleDocs(root, files)).toEqual([]);
  });

  it('a clone without ../shared/spec reads the rule IDs from the committed map', () => {
    const committed = readCommittedMap(fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8'));
    const spec = specText(root);
    if (spec !== undefined) expect(committed).toEqual(readSpec(spec).ids);
    const clone = buildRuleMap(root, undefined);
    expect(clone.rules.map((r) => r.id)).toEqual(committed);
    expect(clone.source).toBe('docs/rules.md');
  });

  it('a test counts only when it names the rule (not a longer ID that starts the same)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rulemap-'));
    fs.mkdirSync(path.join(dir, 'test', 'e2e'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'domain'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'test', 'e2e', 'a.test.ts'),
      "describe('x', () => { it('CYB-50 and DEP-10 only', () => {}); it('MN-7 kept', () => {}); });\n",
    );
    fs.writeFileSync(path.join(dir, 'domain', 'a.ts'), 'export function used() {}\nexport function unused() {}\n');
    fs.mkdirSync(path.join(dir, 'functions'));
    fs.writeFileSync(path.join(dir, 'functions', 'f.ts'), "import { used } from '../domain/a';\nused();\n");
    const small = buildRuleMap(dir, '| ID | Rule |\n|---|---|\n| CYB-5 | x |\n| DEP-1 | y |\n| MN-7 | z |\n');
    expect(small.rules.map((r) => [r.id, r.testCount])).toEqual([
      ['CYB-5', 0],
      ['DEP-1', 0],
      ['MN-7', 1],
    ]);
    expect(small.deadExports).toEqual(['domain/a.ts#unused']);
  });
});
