// azd prepackage hook (azure.yaml): stages exactly what Azure runs into .deploy/ — dist/ without the local host,
// benches and tools, host.json, a package.json with the runtime fields and production dependencies only, and the
// lock file — then installs the production dependencies there. `--no-install` stages without installing (tests);
// `--out=<dir>` stages elsewhere.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outArg = process.argv.find((a) => a.startsWith('--out='));
const out = path.resolve(root, outArg ? outArg.slice('--out='.length) : '.deploy');
const install = !process.argv.includes('--no-install');

const dist = path.join(root, 'dist');
if (!fs.existsSync(path.join(dist, 'functions', 'index.js')))
  throw new Error('dist/ is missing: run `npm run build` first.');
const localOnly = ['infra/local', 'bench', 'tools', 'test'].map((p) => path.join(dist, p));

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
fs.cpSync(dist, path.join(out, 'dist'), {
  recursive: true,
  filter: (src) =>
    !localOnly.some((p) => src === p || src.startsWith(`${p}${path.sep}`)) && !src.endsWith('.tsbuildinfo'),
});
fs.copyFileSync(path.join(root, 'host.json'), path.join(out, 'host.json'));
fs.copyFileSync(path.join(root, 'package-lock.json'), path.join(out, 'package-lock.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const runtime = {
  name: pkg.name,
  version: pkg.version,
  private: true,
  description: pkg.description,
  main: pkg.main,
  engines: pkg.engines,
  dependencies: pkg.dependencies,
};
fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
if (install)
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: out,
    stdio: 'inherit',
  });
console.log(
  `staged ${path.relative(root, out) || out}: dist, host.json, package.json${install ? ', production node_modules' : ''}`,
);
