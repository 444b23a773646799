// Prints the score per domain folder from Stryker's JSON report(s), and the mutants marked equivalent with their reasons.
// Usage: node tools/mutationSummary.mjs [report.json ...]  (default: reports/mutation.json)
import fs from 'node:fs';

const files = process.argv.slice(2);
const reports = (files.length ? files : ['reports/mutation.json']).filter((f) => fs.existsSync(f));
if (reports.length === 0) {
  console.error('No mutation report found: run `npm run mutate` first.');
  process.exit(1);
}

const folders = new Map();
const equivalent = [];
const count = (key, status) => {
  const row = folders.get(key) ?? {
    Killed: 0,
    Timeout: 0,
    Survived: 0,
    NoCoverage: 0,
    Ignored: 0,
    Static: 0,
    other: 0,
  };
  row[status in row ? status : 'other']++;
  folders.set(key, row);
};
for (const report of reports) {
  const data = JSON.parse(fs.readFileSync(report, 'utf8'));
  for (const [file, { mutants }] of Object.entries(data.files)) {
    const folder = file.split('/').slice(0, 2).join('/');
    for (const m of mutants) {
      const isStatic = m.status === 'Ignored' && /ignoreStatic/.test(m.statusReason ?? '');
      count(folder, isStatic ? 'Static' : m.status);
      count('all', isStatic ? 'Static' : m.status);
      if (m.status === 'Ignored' && !isStatic)
        equivalent.push(`${file}:${m.location.start.line} ${m.mutatorName}: ${m.statusReason ?? ''}`);
    }
  }
}

const score = (r) => {
  const d = r.Killed + r.Timeout;
  const u = r.Survived + r.NoCoverage;
  return d + u === 0 ? 100 : (100 * d) / (d + u);
};
console.log('folder'.padEnd(22), 'score', 'killed', 'timeout', 'survived', 'noCov', 'equivalent', 'static(skipped)');
for (const [folder, r] of [...folders].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)))) {
  console.log(
    folder.padEnd(22),
    score(r).toFixed(1).padStart(5),
    String(r.Killed).padStart(6),
    String(r.Timeout).padStart(7),
    String(r.Survived).padStart(8),
    String(r.NoCoverage).padStart(5),
    String(r.Ignored).padStart(10),
    String(r.Static).padStart(15),
  );
}
if (equivalent.length) {
  console.log('\nEquivalent (Stryker disable comments, with reasons):');
  for (const line of equivalent) console.log('  ' + line);
}
