/**
 * A data folder as the AIO tooling reads it: every file one input message, its bytes the payload. Read by
 * `aio emulate --data` and by `aio test`'s AIO descriptors alike. A file alone carries no topic or MQTT 5
 * properties; `aio record` writes them beside the payloads in `.aio-messages.json` (hidden, so the AIO tooling,
 * which reads every visible file as a message, still reads the same folder), and they are sent with each file.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AioError } from '../errors.js';
import { formatBytes, specialKind } from '../files/read-user-file.js';
import { parseTs, type Hlc } from '../engine/hlc.js';
import { createMessage, type Message } from '../engine/message.js';
import { parseJson } from '../files/parse-json.js';

/** Each input file's topic and properties, by file name. */
export const MESSAGE_PROPERTIES_FILE = '.aio-messages.json';

export interface MessageProperties {
  topic?: string;
  /** In order, duplicates kept; `__ts` is the message's timestamp. */
  userProperties?: Array<[string, string]>;
  contentType?: string;
}

/**
 * Input files in the folder, by name with numbers compared as numbers (payload_2 before payload_10). A symbolic
 * link to a file counts as that file; folders (such as output/) and dot-files are not input. Anything else (a FIFO,
 * a socket, a device, a broken or looping link) is refused by name rather than skipped unseen.
 */
export async function listInputFiles(dataDir: string): Promise<string[]> {
  checkDataFolder(dataDir);
  const entries = (await readdir(dataDir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && !e.isDirectory());
  const names: string[] = [];
  const refused: string[] = [];
  for (const entry of entries) {
    const kind = entry.isFile() ? 'file' : entry.isSymbolicLink() ? await linkTarget(join(dataDir, entry.name)) : specialKind(entry);
    if (kind === 'file') names.push(entry.name);
    else if (kind !== 'folder') refused.push(`${entry.name} (${kind})`);
  }
  if (refused.length > 0) {
    const shown = refused.slice(0, 5).join(', ') + (refused.length > 5 ? ` and ${refused.length - 5} more` : '');
    throw new AioError('AIO_EMULATE_DATA_NOT_REGULAR', `data folder ${dataDir} holds entries that are not files: ${shown}`, {
      hint: 'Each input message is a regular file (or a link to one): move the others out of the folder.',
    });
  }
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => join(dataDir, name));
}

/** Refuses a data folder that does not exist or is a file: before anything (the run's log) is written into it. */
export function checkDataFolder(dataDir: string): void {
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) {
    throw new AioError('AIO_EMULATE_DATA_NOT_FOUND', `data folder ${dataDir} ${existsSync(dataDir) ? 'is not a folder' : 'does not exist'}`, {
      hint: 'pass --data <folder> holding one file per input message',
    });
  }
}

/** What a symbolic link in the data folder leads to: 'file', 'folder', or why it cannot be read. */
async function linkTarget(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return info.isFile() ? 'file' : info.isDirectory() ? 'folder' : `a link to ${specialKind(info)}`;
  } catch (error) {
    return `a link that ${(error as NodeJS.ErrnoException).code === 'ELOOP' ? 'loops' : 'leads nowhere'}`;
  }
}

/** The most an MQTT packet can carry (its remaining length, 256 MiB - 1): no input message can be larger. */
export const MAX_INPUT_FILE_BYTES = 268_435_455;

/** The folder's `.aio-messages.json` (`{"<file>": {topic, userProperties, contentType}}`); empty without one. */
export async function readMessageProperties(dataDir: string): Promise<Map<string, MessageProperties>> {
  const file = join(dataDir, MESSAGE_PROPERTIES_FILE);
  if (!existsSync(file)) return new Map();
  const value = parseJson(await readFile(file, 'utf8'), file);
  const entries = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : undefined;
  const valid = entries?.every(([, p]) => isMessageProperties(p));
  if (entries === undefined || !valid) {
    throw new AioError('AIO_DATA_PROPERTIES_INVALID', `${file} is not {"<file name>": {topic?, userProperties?: [[key, value]], contentType?}}`, {
      hint: 'it is written by aio record; record again, or delete it to send every file with the default topic and no properties',
    });
  }
  return new Map(entries as Array<[string, MessageProperties]>);
}

function isMessageProperties(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  const pairs = p['userProperties'];
  return (
    (p['topic'] === undefined || typeof p['topic'] === 'string') &&
    (p['contentType'] === undefined || typeof p['contentType'] === 'string') &&
    (pairs === undefined || (Array.isArray(pairs) && pairs.every((kv) => Array.isArray(kv) && kv.length === 2 && kv.every((s) => typeof s === 'string'))))
  );
}

/**
 * One input file as one message: the file's bytes are the payload. Recorded properties give its topic, user
 * properties and content type, and a recorded `__ts` its timestamp (as a message from the broker would have).
 */
export async function readInputMessage(file: string, timestamp: Hlc, topic: string, recorded?: ReadonlyMap<string, MessageProperties>): Promise<Message> {
  const { size } = await stat(file);
  if (size > MAX_INPUT_FILE_BYTES) {
    throw new AioError(
      'AIO_EMULATE_INPUT_TOO_LARGE',
      `${file} is ${formatBytes(size)}, larger than any MQTT message can be (${formatBytes(MAX_INPUT_FILE_BYTES)})`,
      {
        hint: 'Each file in the data folder is one message: split it, or move it out of the folder.',
      },
    );
  }
  const bytes = await readFile(file);
  const properties = recorded?.get(basename(file));
  const userProperties = properties?.userProperties ?? [];
  const ts = userProperties.find(([key]) => key === '__ts');
  return createMessage({
    timestamp: (ts && parseTs(ts[1])) ?? timestamp,
    topic: properties?.topic ?? topic,
    payload: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    userProperties: userProperties.map(([k, v]) => [k, v]),
    ...(properties?.contentType === undefined ? {} : { contentType: properties.contentType }),
  });
}
