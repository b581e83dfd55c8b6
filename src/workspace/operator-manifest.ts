/**
 * What `aio build` needs to know about one operator folder: its language, the operator kinds its module exports,
 * and its entry file. `operator.json` says it explicitly (aio writes one for the operators it creates); folders
 * made by the AIO tooling have none, and the language and kinds are read from their files instead.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AioError } from '../errors.js';

export const LANGUAGES = ['javascript', 'typescript', 'rust', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

export const OPERATOR_KINDS = ['map', 'filter', 'branch', 'accumulate', 'delay'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];

export const JS_ENGINES = ['quickjs', 'spidermonkey'] as const;
export type JsEngine = (typeof JS_ENGINES)[number];

/** The file, relative to the operator folder. */
export const MANIFEST_FILE = 'operator.json';

export interface OperatorManifest {
  /** The folder name: the module name the graph refers to (`…/<name>:<tag>`). */
  name: string;
  dir: string;
  language: Language;
  /** Operator interfaces the module exports; empty for Rust (its macros decide, checked after the build). */
  kinds: OperatorKind[];
  /** JavaScript/TypeScript entry or Python module file, relative to `dir`. */
  entry: string | undefined;
  /** A JavaScript engine this operator must be built with (sources written directly against one builder's WIT conventions). */
  jsEngine: JsEngine | undefined;
}

interface ManifestFile {
  language?: string;
  operators?: string[];
  /** The older spelling of `operators`. */
  exports?: string[];
  entry?: string;
  jsEngine?: string;
}

export function readOperatorManifest(dir: string): OperatorManifest {
  const name = basename(dir);
  const file = join(dir, MANIFEST_FILE);
  const declared = existsSync(file) ? parseManifest(file) : {};
  const language = (declared.language as Language | undefined) ?? detectLanguage(dir);
  const entry = declared.entry ?? defaultEntry(dir, name, language);
  const kinds = (declared.operators ?? declared.exports ?? detectKinds(dir, language, entry)) as OperatorKind[];
  return { name, dir, language, kinds, entry, jsEngine: declared.jsEngine as JsEngine | undefined };
}

function parseManifest(file: string): ManifestFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AioError('AIO_OPERATOR_MANIFEST_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, {
      hint: 'Fix the JSON, or delete the file to let aio detect the language and operators.',
    });
  }
  const manifest = value as ManifestFile;
  const problem =
    typeof value !== 'object' || value === null || Array.isArray(value)
      ? 'it is not a JSON object'
      : manifest.language !== undefined && !(LANGUAGES as readonly string[]).includes(manifest.language)
        ? `"language" is ${JSON.stringify(manifest.language)}, not one of ${LANGUAGES.join(', ')}`
        : manifest.jsEngine !== undefined && !(JS_ENGINES as readonly string[]).includes(manifest.jsEngine)
          ? `"jsEngine" is ${JSON.stringify(manifest.jsEngine)}, not one of ${JS_ENGINES.join(', ')}`
          : [...(manifest.operators ?? []), ...(manifest.exports ?? [])].find((k) => !(OPERATOR_KINDS as readonly string[]).includes(k)) !== undefined
            ? `"operators" lists something other than ${OPERATOR_KINDS.join(', ')}`
            : undefined;
  if (problem !== undefined)
    throw new AioError('AIO_OPERATOR_MANIFEST_INVALID', `${file}: ${problem}`, { hint: 'Fix the value, or delete the key to let aio detect it.' });
  return manifest;
}

function detectLanguage(dir: string): Language {
  if (existsSync(join(dir, 'Cargo.toml'))) return 'rust';
  if (existsSync(join(dir, 'src', 'index.ts'))) return 'typescript';
  if (existsSync(join(dir, 'src', 'index.js')) || existsSync(join(dir, 'index.js'))) return 'javascript';
  if (readdirSync(dir).some((f) => f.endsWith('.py'))) return 'python';
  throw new AioError('AIO_OPERATOR_LANGUAGE_UNKNOWN', `cannot tell the language of the operator in ${dir}`, {
    hint: `Add Cargo.toml (Rust), <name>.py (Python) or src/index.ts / src/index.js, or say it in ${MANIFEST_FILE}: {"language": "typescript"}.`,
  });
}

function defaultEntry(dir: string, name: string, language: Language): string | undefined {
  if (language === 'typescript') return join('src', 'index.ts');
  if (language === 'javascript') return existsSync(join(dir, 'src', 'index.js')) ? join('src', 'index.js') : 'index.js';
  if (language === 'python') {
    const own = `${name}.py`;
    if (existsSync(join(dir, own))) return own;
    return readdirSync(dir).find((f) => f.endsWith('.py') && !f.startsWith('test_'));
  }
  return undefined;
}

const PYTHON_CLASS = /^class\s+(Map|Filter|Branch|Accumulate|Delay)\s*\(\s*exports\.\1\s*\)/gm;
const JS_EXPORT = /^export\s+(?:const|let|var|function)\s+(map|filter|branch|accumulate|delay)\b/gm;

function detectKinds(dir: string, language: Language, entry: string | undefined): OperatorKind[] {
  if (language === 'rust' || entry === undefined || !existsSync(join(dir, entry))) return [];
  const source = readFileSync(join(dir, entry), 'utf8');
  const pattern = language === 'python' ? PYTHON_CLASS : JS_EXPORT;
  return [...new Set([...source.matchAll(pattern)].map((m) => m[1]!.toLowerCase() as OperatorKind))];
}
