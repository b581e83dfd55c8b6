/**
 * Whether an operator's module is up to date. After each build a stamp beside the module records a fingerprint of
 * everything that decided its bytes: the operator's files, files it pulled in from elsewhere (bundled npm
 * packages, shared sources), the WIT, the toolchain's versions and the build options. A build whose fingerprint
 * matches the stamp, with the module still in place, is skipped.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** Bump when a builder's output for the same inputs changes. */
const STAMP_FORMAT = 'aio-build-1';

/** Folders inside an operator that are output or tool state, never source. */
const NOT_SOURCE = new Set(['bin', 'target', 'node_modules', '__pycache__', 'output', 'dist']);

export interface Stamp {
  fingerprint: string;
  /** Files outside the operator folder that the last build read (absolute paths). */
  externalInputs: string[];
  /** Operator interfaces the module exported, so a skipped build can still be checked against the graph. */
  exports: string[];
  sha256: string;
  size: number;
}

export function stampPath(moduleFile: string): string {
  return `${moduleFile}.build.json`;
}

export async function readStamp(moduleFile: string): Promise<Stamp | undefined> {
  if (!existsSync(moduleFile)) return undefined;
  try {
    return JSON.parse(await readFile(stampPath(moduleFile), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export async function writeStamp(moduleFile: string, stamp: Stamp): Promise<void> {
  await writeFile(stampPath(moduleFile), `${JSON.stringify(stamp, null, 2)}\n`);
}

/** The source files of an operator folder, relative to it, sorted. */
export async function sourceFiles(dir: string, sub = ''): Promise<string[]> {
  const entries = await readdir(join(dir, sub), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') && entry.name !== '.cargo') continue;
    const path = sub === '' ? entry.name : join(sub, entry.name);
    if (entry.isDirectory()) {
      if (!NOT_SOURCE.has(entry.name)) files.push(...(await sourceFiles(dir, path)));
    } else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

export interface FingerprintParts {
  dir: string;
  externalInputs: readonly string[];
  /** Toolchain versions, build mode, engine, WIT text: anything else that changes the output. */
  settings: readonly string[];
}

export async function fingerprint(parts: FingerprintParts): Promise<string> {
  const hash = createHash('sha256').update(STAMP_FORMAT);
  for (const setting of parts.settings) hash.update(`\0setting\0${setting}`);
  for (const file of await sourceFiles(parts.dir)) hash.update(`\0file\0${file}\0`).update(await readFile(join(parts.dir, file)));
  for (const file of [...parts.externalInputs].sort()) {
    // A vanished input changes the fingerprint instead of failing the check.
    hash.update(`\0external\0${file}\0`).update(await readFile(file).catch(() => Buffer.from('\0missing')));
  }
  return hash.digest('hex');
}

/** Inputs a bundler reported, as absolute paths outside the operator folder (the folder is hashed whole). */
export function externalOnly(dir: string, inputs: readonly string[], base: string): string[] {
  const root = resolve(dir);
  return inputs.map((input) => (isAbsolute(input) ? input : resolve(base, input))).filter((path) => relative(root, path).startsWith('..'));
}
