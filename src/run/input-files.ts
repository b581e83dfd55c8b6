/**
 * A data folder as the AIO tooling reads it: every file one input message, its bytes the payload. Read by
 * `aio emulate --data` and by `aio test`'s AIO descriptors alike.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AioError } from '../errors.js';
import type { Hlc } from '../engine/hlc.js';
import { createMessage, type Message } from '../engine/message.js';

/** Input files in the folder, by name with numbers compared as numbers (payload_2 before payload_10). */
export async function listInputFiles(dataDir: string): Promise<string[]> {
  if (!existsSync(dataDir)) {
    throw new AioError('AIO_EMULATE_DATA_NOT_FOUND', `data folder ${dataDir} does not exist`, {
      hint: 'pass --data <folder> holding one file per input message',
    });
  }
  const entries = await readdir(dataDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((name) => join(dataDir, name));
}

/** One input file as one message: the file's bytes are the payload. */
export async function readInputMessage(file: string, timestamp: Hlc, topic: string): Promise<Message> {
  const bytes = await readFile(file);
  return createMessage({ timestamp, topic, payload: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
}
