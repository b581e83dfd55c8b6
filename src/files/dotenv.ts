import { existsSync } from 'node:fs';
import { readUserTextOrThrow } from './read-user-file.js';

/**
 * Reads a `.env` file (`KEY=value`, `export KEY=value`, `#` comments, single or double quotes) as dotenv does.
 * Missing file → empty. Values never reach output: only the loader uses them. Read as any user file is, so a
 * `.env` that is a FIFO or /dev/zero is an error, not a hang.
 */
export async function readDotenv(path: string): Promise<Map<string, string>> {
  if (!existsSync(path)) return new Map();
  const text = await readUserTextOrThrow(path);
  const values = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    let value = match[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted !== null) value = quoted[1] === '"' ? quoted[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"') : quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    values.set(match[1]!, value);
  }
  return values;
}
