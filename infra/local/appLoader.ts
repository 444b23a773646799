import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import globby from 'globby';

export interface AppLocation {
  root: string;
  entryFiles: string[];
  hostJson: Record<string, unknown>;
  /** package.json `type`, which decides between require() and import() for .js files. */
  packageType: string | undefined;
}

export class AppEntryError extends Error {}

/**
 * Finds the app and its entry files. `entry` may be an entry file (the app root is its nearest folder with host.json
 * or package.json) or an app folder; without it the app is `cwd`. An app folder's package.json `main` decides, read
 * as the Node worker reads it: a path, a glob or a brace list, matched with globby relative to the app root.
 */
export function locateApp(entry: string | undefined, cwd: string): AppLocation {
  const target = path.resolve(cwd, entry ?? '.');
  if (!fs.existsSync(target)) throw new AppEntryError(`The app '${target}' does not exist.`);
  if (fs.statSync(target).isDirectory()) {
    const pkg = readJson(path.join(target, 'package.json'));
    const main = pkg?.['main'];
    if (typeof main !== 'string' || main.trim() === '')
      throw new AppEntryError(
        `The app folder '${target}' has no package.json 'main' naming its entry point (a file, a glob such as 'dist/src/functions/*.js', or a brace list).`,
      );
    return { ...describeRoot(target), entryFiles: matchEntryPoint(main, target) };
  }
  let root = path.dirname(target);
  while (
    !fs.existsSync(path.join(root, 'host.json')) &&
    !fs.existsSync(path.join(root, 'package.json')) &&
    path.dirname(root) !== root
  ) {
    root = path.dirname(root);
  }
  return { ...describeRoot(root), entryFiles: [target] };
}

/** The worker's loadEntryPointFile: globby(main, { cwd: appRoot }), and its two messages when nothing matches. */
export function matchEntryPoint(main: string, root: string): string[] {
  const files = globby.sync(main, { cwd: root });
  if (files.length === 0) {
    const reason = globby.hasMagic(main, { cwd: root })
      ? 'Found zero files matching the supplied pattern'
      : 'File does not exist';
    throw new AppEntryError(
      `The app's entry point "${main}" (package.json main in ${root}) cannot be loaded: ${reason}. Did the build run?`,
    );
  }
  return files.map((file) => path.join(root, file));
}

function describeRoot(root: string): Omit<AppLocation, 'entryFiles'> {
  const type = readJson(path.join(root, 'package.json'))?.['type'];
  return {
    root,
    hostJson: readJson(path.join(root, 'host.json')) ?? {},
    packageType: typeof type === 'string' ? type : undefined,
  };
}

// A real import() even though this file compiles to CommonJS (tsc would turn `import()` into require()), as the
// worker's eval('import(...)') does.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Loads each entry file the way the worker does: import() for ES modules, require() for CommonJS. */
export async function loadEntryFiles(app: AppLocation): Promise<void> {
  for (const file of app.entryFiles) {
    try {
      if (isModuleFile(file, app.packageType)) await importModule(pathToFileURL(file).href);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker loads a CommonJS entry with require()
      else require(file);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppEntryError(`Worker was unable to load entry point "${path.relative(app.root, file)}": ${message}`, {
        cause: error,
      });
    }
  }
}

/** local.settings.json Values become environment variables (without overriding the real environment). */
export function applyLocalSettings(root: string): void {
  const settings = readJson(path.join(root, 'local.settings.json'));
  const values = (settings?.['Values'] ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    if (process.env[key] === undefined && value !== undefined && value !== null) process.env[key] = String(value);
  }
}

function isModuleFile(file: string, packageType: string | undefined): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return packageType === 'module';
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
