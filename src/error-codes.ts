/** Look-ups in the error catalog, and the catalog as the Markdown page docs/diagnostics.md. */
import { CATALOG, CATALOG_INTRO } from './error-catalog.js';
import type { ExitCodeValue } from './errors.js';

const exits = new Map<string, ExitCodeValue>();
const known = new Set<string>();
for (const section of CATALOG) {
  for (const block of section.blocks) {
    if ('errors' in block) {
      for (const [code, exit] of block.errors) {
        exits.set(code, exit);
        known.add(code);
      }
    }
    if ('findings' in block) for (const [code] of block.findings) known.add(code);
  }
}

/** The exit status the catalog gives an error code; undefined for findings-only codes and unknown codes. */
export function catalogExit(code: string): ExitCodeValue | undefined {
  return exits.get(code);
}

/** Every code in the catalog. */
export function catalogCodes(): ReadonlySet<string> {
  return known;
}

export function diagnosticsMarkdown(): string {
  const parts = [`${CATALOG_INTRO}\n`];
  for (const section of CATALOG) {
    parts.push(`## ${section.title}`);
    for (const block of section.blocks) {
      if ('text' in block) parts.push(`${block.text}\n`);
      else if ('findings' in block) parts.push(table('severity', block.findings));
      else parts.push(table('exit', block.errors));
    }
  }
  return `${parts.join('\n').replace(/\n+$/, '')}\n`;
}

function table(column: string, rows: ReadonlyArray<readonly [string, string | number, string]>): string {
  return `| code | ${column} | meaning |\n|---|---|---|\n${rows.map(([code, value, meaning]) => `| \`${code}\` | ${value} | ${meaning} |\n`).join('')}`;
}
