/**
 * A recording as a data folder (`aio emulate --data`, `aio test` descriptors): one file per message in arrival
 * order (`message_1.json`, `.txt` for other text, `.bin` for bytes), and `.aio-messages.json` with each file's
 * topic, user properties and content type. Files already in the folder are left alone; numbering continues
 * after the highest `message_<n>` there.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MESSAGE_PROPERTIES_FILE, readMessageProperties, type MessageProperties } from '../run/input-files.js';
import { payloadText, type RecordedMessage } from './recorded-message.js';

export async function writeDataFolder(dir: string, messages: readonly RecordedMessage[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const properties = existsSync(join(dir, MESSAGE_PROPERTIES_FILE)) ? await readMessageProperties(dir) : new Map<string, MessageProperties>();
  let next = (await highestNumber(dir)) + 1;
  const written: string[] = [];
  for (const message of messages) {
    const name = `message_${next++}.${extensionOf(message.payload)}`;
    await writeFile(join(dir, name), message.payload);
    properties.set(name, {
      topic: message.topic,
      ...(message.userProperties.length === 0 ? {} : { userProperties: message.userProperties }),
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
    });
    written.push(join(dir, name));
  }
  await writeFile(join(dir, MESSAGE_PROPERTIES_FILE), `${JSON.stringify(Object.fromEntries(properties), null, 2)}\n`);
  return written;
}

function extensionOf(payload: Uint8Array): string {
  const text = payloadText(payload);
  if (text === undefined) return 'bin';
  try {
    JSON.parse(text);
    return 'json';
  } catch {
    return 'txt';
  }
}

async function highestNumber(dir: string): Promise<number> {
  let highest = 0;
  for (const name of await readdir(dir)) {
    const n = /^message_(\d+)\./.exec(name)?.[1];
    if (n !== undefined) highest = Math.max(highest, Number(n));
  }
  return highest;
}
