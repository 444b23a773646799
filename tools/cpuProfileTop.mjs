#!/usr/bin/env node
// Prints the functions with the most self time in a V8 .cpuprofile (node --cpu-prof), and totals by package:
// `node tools/cpuProfileTop.mjs <file.cpuprofile> [n]`.
import fs from 'node:fs';

const [file, count = '30'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/cpuProfileTop.mjs <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byPackage = new Map();
for (const [id, us] of self) {
  const { callFrame: f } = byId.get(id);
  const where = f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:');
  const key = `${f.functionName || '(anonymous)'} ${where.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg = where.startsWith('nm:')
    ? where
        .slice(3)
        .split('/')
        .slice(0, where.slice(3).startsWith('@') ? 2 : 1)
        .join('/')
    : where.startsWith('node:')
      ? 'node:*'
      : where === ''
        ? f.functionName || '(native)'
        : where.includes('/dist/')
          ? `dist/${where.split('/dist/')[1].split('/').slice(0, 2).join('/')}`
          : 'other';
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
}
const show = (title, map, n) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled)`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`);
};
show('self time by function', byFunction, Number(count));
show('self time by package', byPackage, 25);
