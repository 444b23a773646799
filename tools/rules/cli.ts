import fs from 'node:fs';
import path from 'node:path';
import { generateDocs, repositoryRoot, staleDocs } from './docs';
import { summaryLines, unreached } from './ruleMap';

/**
 * `npm run rules`: prints how every rule ID is kept, where and which tests prove it, and writes docs/rules.md and
 * docs/openapi.json. `--check` writes nothing and fails when docs/ is out of date.
 */
async function main(): Promise<number> {
  const root = repositoryRoot();
  const check = process.argv.includes('--check');
  const { map, files } = await generateDocs(root);
  for (const r of map.rules)
    console.log(
      `${r.id.padEnd(12)} ${r.kept.join('+').padEnd(19)} code ${String(r.where.length).padStart(2)}  tests ${String(r.testCount).padStart(2)}  ${r.tests.join(', ') || 'NO REACHING TEST'}`,
    );
  console.log('');
  for (const line of summaryLines(map)) console.log(line);
  for (const problem of map.problems) console.log(`problem: ${problem}`);
  if (check) {
    const stale = staleDocs(root, files);
    if (stale.length) console.log(`out of date: ${stale.join(', ')} (run npm run rules)`);
    return stale.length || map.problems.length || unreached(map).length || map.deadExports.length ? 1 : 0;
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  console.log(`wrote ${Object.keys(files).join(', ')}`);
  return map.problems.length ? 1 : 0;
}

void main().then((code) => (process.exitCode = code));
