/** Flags `aio init` and `aio operator new` share: the language and kind of an operator. */
import { Flags } from '@oclif/core';
import { OPERATOR_KINDS, type Language, type OperatorKind } from '../workspace/operator-manifest.js';
import { canPrompt } from './confirm.js';
import { createInterface } from 'node:readline/promises';

const LANGUAGE_ALIASES: Record<string, Language> = {
  js: 'javascript',
  javascript: 'javascript',
  ts: 'typescript',
  typescript: 'typescript',
  rust: 'rust',
  rs: 'rust',
  python: 'python',
  py: 'python',
};

export const languageFlag = Flags.option({
  options: Object.keys(LANGUAGE_ALIASES),
  description: 'operator language: ts (TypeScript), js (JavaScript), rust, python',
})();
export const kindFlag = Flags.option({ options: OPERATOR_KINDS, description: 'operator type' })();

export function languageOf(flag: string): Language {
  return LANGUAGE_ALIASES[flag]!;
}

/** Asks for a value in a terminal (stderr, so stdout stays clean); returns the default when nobody can answer. */
export async function ask<T extends string>(
  question: string,
  choices: readonly T[] | undefined,
  fallback: T,
  accept: (answer: string) => T | undefined = (a) => a as T,
): Promise<T> {
  if (!canPrompt()) return fallback;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const hint = choices ? ` (${choices.join('/')})` : '';
      const answer = (await rl.question(`${question}${hint} [${fallback}] `)).trim();
      if (answer === '') return fallback;
      const value = accept(answer);
      if (value !== undefined && (choices === undefined || choices.includes(value))) return value;
      process.stderr.write(`  not one of ${choices?.join(', ') ?? 'the accepted values'}\n`);
    }
  } finally {
    rl.close();
  }
}

export const askKind = (fallback: OperatorKind): Promise<OperatorKind> => ask('Operator type', OPERATOR_KINDS, fallback);
