import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface AppLocation {
  root: string;
  entryFiles: string[];
  hostJson: Record<string, unknown>;
  isModule: boolean;
}

/** Finds the app root (the entry's nearest folder with host.json or package.json) and its entry files. */
export function locateApp(entry: string | undefined, cwd: string): AppLocation {
  if (entry) {
    const file = path.resolve(cwd, entry);
    if (!fs.existsSync(file)) throw new Error(`The app entry point '${file}' does not exist.`);
    let root = path.dirname(file);
    while (
      !fs.existsSync(path.join(root, 'host.json')) &&
      !fs.existsSync(path.join(root, 'package.json')) &&
      path.dirname(root) !== root
    ) {
      root = path.dirname(root);
    }
    return {
      root,
      entryFiles: [file],
      hostJson: readJson(path.join(root, 'host.json')) ?? {},
      isModule: isModuleFile(file, root),
    };
  }
  const pkg = readJson(path.join(cwd, 'package.json'));
  const main = typeof pkg?.['main'] === 'string' ? (pkg['main'] as string) : 'index.js';
  if (/[*{]/.test(main))
    throw new Error(`A glob 'main' (${main}) is not supported by the local host; point main at one entry file.`);
  const file = path.resolve(cwd, main);
  if (!fs.existsSync(file))
    throw new Error(`The app entry point '${file}' (package.json main) does not exist. Did the build run?`);
  return {
    root: cwd,
    entryFiles: [file],
    hostJson: readJson(path.join(cwd, 'host.json')) ?? {},
    isModule: isModuleFile(file, cwd),
  };
}

/** Loads each entry file the way the worker does: require() for CommonJS, import() for ES modules. */
export async function loadEntryFiles(app: AppLocation): Promise<void> {
  for (const file of app.entryFiles) {
    if (app.isModule) await import(pathToFileURL(file).href);
    else require(file);
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

function isModuleFile(file: string, root: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  return readJson(path.join(root, 'package.json'))?.['type'] === 'module';
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
}
