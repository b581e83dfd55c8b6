/** `npm run docs`: writes docs/diagnostics.md from the error catalog (src/error-catalog.ts). */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnosticsMarkdown } from '../src/error-codes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
writeFileSync(join(root, 'docs', 'diagnostics.md'), diagnosticsMarkdown());
