/**
 * The Web APIs that componentize-js sources commonly use and QuickJS lacks: `TextEncoder`, `TextDecoder` and
 * `console` (which writes to the module log). `aio build` imports this first in every QuickJS bundle, before the
 * operator's own module, so they exist at its top level too (QuickJS runs the top level at build time).
 */
import logger from 'wasm-graph:processor/logger@1.1.0';
import { Utf8TextDecoder, Utf8TextEncoder } from '../text-coding.js';

const globals = globalThis as { console?: unknown; TextEncoder?: unknown; TextDecoder?: unknown };
globals.TextEncoder ??= Utf8TextEncoder;
globals.TextDecoder ??= Utf8TextDecoder;
if (globals.console === undefined) {
  const write =
    (level: string) =>
    (...parts: unknown[]): void =>
      logger.log(level, 'console', parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
  globals.console = { log: write('info'), info: write('info'), debug: write('debug'), warn: write('warn'), error: write('error') };
}
