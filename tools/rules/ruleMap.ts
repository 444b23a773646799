import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { RULE_BOOK, type Kept } from './ruleBook';

/** Where production code lives (the local host is not the product). */
const CODE_DIRS = ['domain', 'app', 'functions', 'orchestrations', 'infra'];
const NOT_PRODUCT = [path.join('infra', 'local')];
/** Tests that reach a rule through the API, the queue or a lifecycle. */
const REACHING_TEST_DIRS = [path.join('test', 'e2e'), path.join('test', 'orchestrations')];

export interface RuleEntry {
  id: string;
  kept: readonly Kept[];
  summary: string;
  /** Production files citing the ID. */
  where: string[];
  /** Reaching test files (e2e, orchestrations) with a test that names the ID. */
  tests: string[];
  /** How many such tests. */
  testCount: number;
}

export interface RuleMap {
  source: string;
  rules: RuleEntry[];
  /** Problems that make the map fail: unknown or unread IDs, kept disagreeing with section 9. */
  problems: string[];
  /** Domain exports that only tests call. */
  deadExports: string[];
}

function walk(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .filter((f) => !f.split(path.sep).includes('node_modules'))
    .sort();
}

const productFiles = (root: string) =>
  CODE_DIRS.flatMap((d) => walk(root, d)).filter((f) => !NOT_PRODUCT.some((n) => f.startsWith(n + path.sep)));

function idPattern(id: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9-])${id.replace(/-/g, '\\-')}(?![0-9A-Za-z])`);
}

/** Rule IDs and section 9's "kept as" from rules.md. */
export function readSpec(text: string): { ids: string[]; keptBySection9: Map<string, Kept[]> } {
  const ids: string[] = [];
  const keptBySection9 = new Map<string, Kept[]>();
  const section9 = text.indexOf('## 9.');
  const before = section9 < 0 ? text : text.slice(0, section9);
  for (const line of before.split('\n')) {
    const row = /^\|\s*([A-Z][A-Z0-9]*-[A-Z0-9]+)\s*\|/.exec(line);
    if (row) ids.push(row[1] as string);
    for (const plan of line.matchAll(/^\|[^|]*\((RESP-[A-Z]+)\)/g)) ids.push(plan[1] as string);
  }
  if (section9 >= 0) {
    for (const line of text.slice(section9).split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      const kept = cells[2] as Kept | undefined;
      if (!cells[1] || !kept || !['enforced', 'scheduled', 'recorded'].includes(kept)) continue;
      for (const m of cells[1].matchAll(/[A-Z][A-Z0-9]*-[A-Z0-9]+/g)) {
        keptBySection9.set(m[0], [...(keptBySection9.get(m[0]) ?? []), kept]);
      }
    }
  }
  return { ids: [...new Set(ids)], keptBySection9 };
}

/** The IDs of a committed docs/rules.md (a clone has no ../shared/spec). */
export function readCommittedMap(text: string): string[] {
  return [...text.matchAll(/^\| `([A-Z][A-Z0-9]*-[A-Z0-9]+)` \|/gm)].map((m) => m[1] as string);
}

interface TestCase {
  file: string;
  text: string;
}

/** Every it()/test() of a file, with the titles of the describe blocks around it. */
function testCases(root: string, file: string): TestCase[] {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(path.join(root, file), 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const out: TestCase[] = [];
  const visit = (node: ts.Node, titles: string[]) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(source).split('.')[0];
      const title = node.arguments[0]?.getText(source) ?? '';
      if (callee === 'describe') {
        node.arguments.slice(1).forEach((a) => visit(a, [...titles, title]));
        return;
      }
      if (callee === 'it' || callee === 'test') {
        out.push({ file, text: [...titles, node.getText(source)].join('\n') });
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, titles));
  };
  visit(source, []);
  return out;
}

export function buildRuleMap(root: string, specText: string | undefined): RuleMap {
  const committed = path.join(root, 'docs', 'rules.md');
  const problems: string[] = [];
  let ids: string[];
  let keptBySection9 = new Map<string, Kept[]>();
  let source: string;
  if (specText !== undefined) {
    ({ ids, keptBySection9 } = readSpec(specText));
    source = '../shared/spec/rules.md';
  } else {
    ids = fs.existsSync(committed) ? readCommittedMap(fs.readFileSync(committed, 'utf8')) : Object.keys(RULE_BOOK);
    source = 'docs/rules.md';
  }
  for (const id of ids)
    if (!RULE_BOOK[id]) problems.push(`${id}: in rules.md but has no reading in tools/rules/ruleBook.ts`);
  for (const id of Object.keys(RULE_BOOK))
    if (!ids.includes(id)) problems.push(`${id}: read in ruleBook.ts but not in rules.md`);
  for (const [id, kept] of keptBySection9) {
    for (const k of kept)
      if (!RULE_BOOK[id]?.kept.includes(k))
        problems.push(`${id}: rules.md section 9 keeps it ${k}; ruleBook.ts does not`);
  }
  const code = productFiles(root).map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
  const tests = REACHING_TEST_DIRS.flatMap((d) => walk(root, d))
    .filter((f) => f.endsWith('.test.ts'))
    .flatMap((f) => testCases(root, f));
  const rules = ids.map((id): RuleEntry => {
    const pattern = idPattern(id);
    const reaching = tests.filter((t) => pattern.test(t.text));
    return {
      id,
      kept: RULE_BOOK[id]?.kept ?? [],
      summary: RULE_BOOK[id]?.summary ?? '',
      where: code.filter((c) => pattern.test(c.text)).map((c) => c.file),
      tests: [...new Set(reaching.map((t) => t.file))],
      testCount: reaching.length,
    };
  });
  return { source, rules, problems, deadExports: deadDomainExports(root) };
}

export function unreached(map: RuleMap): string[] {
  return map.rules.filter((r) => r.testCount === 0).map((r) => r.id);
}

export function summaryLines(map: RuleMap): string[] {
  const by = (k: Kept) => map.rules.filter((r) => r.kept.includes(k)).length;
  const main = (k: Kept) => map.rules.filter((r) => r.kept[0] === k).length;
  const missing = unreached(map);
  return [
    `${map.rules.length} rule IDs (from ${map.source})`,
    `kept as enforced: ${main('enforced')} (${by('enforced')} counting secondary ways), scheduled: ${main('scheduled')} (${by('scheduled')}), recorded: ${main('recorded')} (${by('recorded')})`,
    `without a reaching test (e2e or orchestration): ${missing.length}${missing.length ? ` — ${missing.join(', ')}` : ''}`,
    `domain exports called only by tests: ${map.deadExports.length}${map.deadExports.length ? ` — ${map.deadExports.join(', ')}` : ''}`,
  ];
}

/** docs/rules.md: the generated rule map. */
export function renderRuleMap(map: RuleMap): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x.split(path.sep).join('/')}\``).join(', ') : '—');
  return [
    '# Rule map',
    '',
    'Generated by `npm run rules` from the rule IDs of the specification and `tools/rules/ruleBook.ts`; do not edit by',
    'hand. For every rule: how the product keeps it (**enforced**: a request that breaks it is refused, or a computation',
    'follows it; **scheduled**: a lifecycle reminds, ends or lapses on time and writes the timeline; **recorded**: the fact',
    'is stored and shown), the code that cites it, and the end-to-end or orchestration tests that name it.',
    '',
    ...summaryLines(map).map((l) => `- ${l}`),
    '',
    '| ID | kept | summary | where | tests |',
    '|---|---|---|---|---|',
    ...map.rules.map(
      (r) =>
        `| \`${r.id}\` | ${r.kept.join(', ')} | ${cell(r.summary)} | ${list(r.where)} | ${list(r.tests)} (${r.testCount}) |`,
    ),
    '',
  ].join('\n');
}

// ---- domain exports that only tests call ---------------------------------------------------------------------

interface Decl {
  file: string;
  name: string;
  exported: boolean;
  value: boolean;
  refs: Array<{ file: string; name: string }>;
}

function resolveModule(root: string, from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.join(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')])
    if (fs.existsSync(path.join(root, candidate))) return path.normalize(candidate);
  return undefined;
}

function deadDomainExports(root: string): string[] {
  const files = productFiles(root);
  const parsed = new Map(
    files.map((f) => [
      f,
      ts.createSourceFile(f, fs.readFileSync(path.join(root, f), 'utf8'), ts.ScriptTarget.ES2022, true),
    ]),
  );
  const topLevel = new Map<string, Map<string, Decl>>();
  const starExports = new Map<string, string[]>();
  // Pass 1: top-level declarations, imports and re-exports of every file.
  const imports = new Map<string, Map<string, { file: string; name: string }>>();
  for (const [file, sf] of parsed) {
    const decls = new Map<string, Decl>();
    const imp = new Map<string, { file: string; name: string }>();
    const stars: string[] = [];
    for (const st of sf.statements) {
      const exported = !!ts.getModifiers(st as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = resolveModule(root, file, st.moduleSpecifier.text);
        const clause = st.importClause;
        if (!target || !clause) continue;
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements)
            imp.set(el.name.text, { file: target, name: (el.propertyName ?? el.name).text });
        if (bindings && ts.isNamespaceImport(bindings)) imp.set(bindings.name.text, { file: target, name: '*' });
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = resolveModule(root, file, st.moduleSpecifier.text);
        if (target && !st.exportClause) stars.push(target);
        if (target && st.exportClause && ts.isNamedExports(st.exportClause))
          for (const el of st.exportClause.elements)
            imp.set(el.name.text, { file: target, name: (el.propertyName ?? el.name).text });
      } else if (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) {
        if (st.name) decls.set(st.name.text, { file, name: st.name.text, exported, value: true, refs: [] });
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations)
          if (ts.isIdentifier(d.name))
            decls.set(d.name.text, { file, name: d.name.text, exported, value: true, refs: [] });
      } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
        decls.set(st.name.text, { file, name: st.name.text, exported, value: false, refs: [] });
      }
    }
    topLevel.set(file, decls);
    imports.set(file, imp);
    starExports.set(file, stars);
  }
  // Follows re-exports (barrels) to the file that declares a name.
  const declare = (
    file: string,
    name: string,
    seen = new Set<string>(),
  ): { file: string; name: string } | undefined => {
    if (seen.has(file)) return undefined;
    seen.add(file);
    if (topLevel.get(file)?.has(name)) return { file, name };
    const named = imports.get(file)?.get(name);
    if (named && named.name !== '*') return declare(named.file, named.name, seen);
    for (const star of starExports.get(file) ?? []) {
      const found = declare(star, name, seen);
      if (found) return found;
    }
    return undefined;
  };
  // Pass 2: what each top-level statement refers to.
  const rootRefs: Array<{ file: string; name: string }> = [];
  for (const [file, sf] of parsed) {
    const decls = topLevel.get(file)!;
    const imp = imports.get(file)!;
    const refsOf = (node: ts.Node, own?: string): Array<{ file: string; name: string }> => {
      const out: Array<{ file: string; name: string }> = [];
      const visit = (n: ts.Node) => {
        if (ts.isPropertyAccessExpression(n) && ts.isIdentifier(n.expression)) {
          const ns = imp.get(n.expression.text);
          if (ns?.name === '*') {
            const found = declare(ns.file, n.name.text);
            if (found) out.push(found);
          }
        }
        if (ts.isIdentifier(n) && n.text !== own) {
          const p = n.parent;
          const isPropertyName =
            (ts.isPropertyAccessExpression(p) && p.name === n) ||
            (ts.isPropertyAssignment(p) && p.name === n) ||
            ts.isImportSpecifier(p) ||
            ts.isExportSpecifier(p);
          if (!isPropertyName) {
            if (decls.has(n.text)) out.push({ file, name: n.text });
            else {
              const target = imp.get(n.text);
              const found = target && target.name !== '*' ? declare(target.file, target.name) : undefined;
              if (found) out.push(found);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(node);
      return out;
    };
    const isDomain = file.startsWith(`domain${path.sep}`);
    for (const st of sf.statements) {
      const names =
        ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)
          ? [st.name?.text]
          : ts.isVariableStatement(st)
            ? st.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : undefined))
            : ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)
              ? [st.name.text]
              : [];
      const named = names.filter((n): n is string => !!n);
      if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) continue;
      if (!isDomain || named.length === 0) {
        rootRefs.push(...refsOf(st)); // code outside domain/ (and top-level statements) keep what they use
        continue;
      }
      for (const n of named) decls.get(n)!.refs.push(...refsOf(st, n));
    }
  }
  const live = new Set<string>();
  const key = (r: { file: string; name: string }) => `${r.file}#${r.name}`;
  const work = [...rootRefs];
  while (work.length) {
    const ref = work.pop()!;
    if (live.has(key(ref))) continue;
    live.add(key(ref));
    work.push(...(topLevel.get(ref.file)?.get(ref.name)?.refs ?? []));
  }
  const dead: string[] = [];
  for (const [file, decls] of topLevel) {
    if (!file.startsWith(`domain${path.sep}`)) continue;
    for (const d of decls.values())
      if (d.exported && d.value && !live.has(key(d))) dead.push(`${file.split(path.sep).join('/')}#${d.name}`);
  }
  return dead.sort();
}
