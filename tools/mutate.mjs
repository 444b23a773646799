// npm run mutate [-- part ...]: Stryker over each part of domain/ in turn (see stryker.config.mjs), then the score per
// folder from all parts' reports. Each part keeps its own incremental file, so a rerun judges only changed mutants.
import { spawnSync } from 'node:child_process';
import { mutationParts } from '../stryker.config.mjs';

const asked = process.argv.slice(2);
const unknown = asked.filter((p) => !mutationParts.includes(p));
if (unknown.length) {
  console.error(`Unknown part(s) ${unknown.join(', ')}; parts: ${mutationParts.join(', ')}`);
  process.exit(2);
}
const parts = asked.length ? asked : mutationParts;
const started = Date.now();
for (const part of parts) {
  const t0 = Date.now();
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATE_PART: part },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
  console.log(`mutate: ${part} took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
console.log(`mutate: ${parts.length} part(s) took ${((Date.now() - started) / 1000).toFixed(0)} s`);
const summary = spawnSync(
  'node',
  ['tools/mutationSummary.mjs', ...mutationParts.map((p) => `reports/mutation-${p}.json`)],
  {
    stdio: 'inherit',
  },
);
process.exit(summary.status ?? 1);
