/**
 * Web APIs one JavaScript engine has and the other lacks, so a build can say which engine to use instead of
 * failing at run time. Measured by listing `globalThis` in components built with componentize-qjs 0.4.5 and
 * componentize-js 0.23.0 (2026-12); aio adds TextEncoder, TextDecoder and console to QuickJS builds.
 */
import { BuildFailure } from './build-failure.js';

/** Globals SpiderMonkey (componentize-js) builds have and QuickJS builds do not. */
export const SPIDERMONKEY_ONLY_GLOBALS = [
  'AbortController',
  'AbortSignal',
  'Blob',
  'ByteLengthQueuingStrategy',
  'CompressionStream',
  'CountQueuingStrategy',
  'Crypto',
  'CryptoKey',
  'CustomEvent',
  'DecompressionStream',
  'Event',
  'EventTarget',
  'File',
  'FormData',
  'Headers',
  'ReadableStream',
  'Request',
  'Response',
  'SubtleCrypto',
  'TransformStream',
  'URL',
  'URLSearchParams',
  'WritableStream',
  'clearInterval',
  'clearTimeout',
  'crypto',
  'fetch',
  'setInterval',
  'setTimeout',
  'structuredClone',
] as const;

const CALLED = new Set(['clearInterval', 'clearTimeout', 'fetch', 'setInterval', 'setTimeout', 'structuredClone']);

/**
 * The SpiderMonkey-only APIs a QuickJS bundle uses: a class constructed (`new URL(`), a function called
 * (`fetch(`) or `crypto.` read, where the bundle does not declare that name itself. `typeof fetch` (feature
 * detection) is not a use.
 */
export function quickJsMissingApis(bundle: string): string[] {
  return SPIDERMONKEY_ONLY_GLOBALS.filter((name) => {
    if (new RegExp(`(?:function|class|const|let|var)\\s+${name}\\b`).test(bundle)) return false;
    const use = name === 'crypto' ? `(?<![\\w$.])crypto\\s*\\.` : CALLED.has(name) ? `(?<![\\w$.])${name}\\s*\\(` : `\\bnew\\s+${name}\\s*\\(`;
    return new RegExp(use).test(bundle);
  });
}

/** A QuickJS build error for `names`, naming the engine that has them. */
export function apiMissing(names: readonly string[], source: string, where = ''): BuildFailure {
  const list = names.map((n) => `\`${n}\``).join(', ');
  return new BuildFailure(
    'AIO_BUILD_JS_API_MISSING',
    `${source}: ${where}uses ${list}, which QuickJS builds (componentize-qjs, the default engine) do not have`,
    [],
    `SpiderMonkey (componentize-js) has ${names.length === 1 ? 'it' : 'them'}: build with \`aio build --js-engine spidermonkey\`, or pin it in the operator's operator.json: {"jsEngine": "spidermonkey"}.`,
  );
}

/** The name in QuickJS's `X is not defined` when X is an API SpiderMonkey builds have. */
export function undefinedSpiderMonkeyApi(message: string): string | undefined {
  const name = /ReferenceError: ([\w$]+) is not defined|\b([\w$]+) is not defined/.exec(message);
  const found = name?.[1] ?? name?.[2];
  return found !== undefined && (SPIDERMONKEY_ONLY_GLOBALS as readonly string[]).includes(found) ? found : undefined;
}
