/**
 * The files the AIO tooling reads beside a graph: `statestore.json` (state store seed) and `hostapp.env.list`
 * (`TK_SCHEMA_CONFIG_PATH`, `TK_CONFIGURATION_PARAMETERS`). Missing files are fine; broken ones stop the run
 * before it starts, with the file and position.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AioError } from '../errors.js';
import { readUserTextOrThrow } from '../files/read-user-file.js';
import { parseJson } from '../files/parse-json.js';
import { compilePayloadSchema, type PayloadSchema } from './payload-schema.js';

export const STATE_STORE_FILE = 'statestore.json';
export const HOST_ENV_FILE = 'hostapp.env.list';

export interface Workspace {
  dir: string;
  stateStoreSeed: Array<[string, string]>;
  /** KEY=VALUE lines of hostapp.env.list. */
  hostEnv: Map<string, string>;
  hostEnvFile: string | undefined;
  payloadSchema: PayloadSchema | undefined;
}

export async function loadWorkspace(graphFile: string): Promise<Workspace> {
  const dir = dirname(resolve(graphFile));
  const hostEnvFile = existsSync(join(dir, HOST_ENV_FILE)) ? join(dir, HOST_ENV_FILE) : undefined;
  const hostEnv = hostEnvFile ? parseEnvList(await readUserTextOrThrow(hostEnvFile), hostEnvFile) : new Map<string, string>();
  const schemaPath = hostEnv.get('TK_SCHEMA_CONFIG_PATH');
  return {
    dir,
    stateStoreSeed: existsSync(join(dir, STATE_STORE_FILE)) ? await loadStateStoreSeed(join(dir, STATE_STORE_FILE)) : [],
    hostEnv,
    hostEnvFile,
    payloadSchema: schemaPath ? await loadPayloadSchema(resolve(dir, schemaPath), hostEnvFile!) : undefined,
  };
}

/** `KEY=VALUE` per line; blank lines and `#` comments are skipped, as Docker's `--env-file` does. */
export function parseEnvList(text: string, file: string): Map<string, string> {
  const env = new Map<string, string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals <= 0) {
      throw new AioError('AIO_EMULATE_BAD_ENV_LIST', `${file}:${index + 1}: expected KEY=VALUE, found "${line}"`, {
        hint: 'write one KEY=VALUE per line, e.g. TK_SCHEMA_CONFIG_PATH=schema.json',
        location: { file, line: index + 1, column: 1 },
      });
    }
    env.set(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
  });
  return env;
}

/** `[{"factoryId": "factoryA"}, {"machineId": "machineA"}]` → key/value pairs; values that are not strings are stored as JSON. */
export async function loadStateStoreSeed(file: string): Promise<Array<[string, string]>> {
  const parsed = parseJson(await readUserTextOrThrow(file), file);
  if (!Array.isArray(parsed)) {
    throw new AioError('AIO_EMULATE_BAD_STATESTORE', `${file} must be a JSON array of one-key objects`, {
      hint: 'e.g. [{"factoryId": "factoryA"}, {"machineId": "machineA"}]',
      location: { file, line: 1, column: 1 },
    });
  }
  const pairs: Array<[string, string]> = [];
  parsed.forEach((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new AioError('AIO_EMULATE_BAD_STATESTORE', `${file}: entry ${index} is not an object`, {
        hint: 'each entry is an object like {"machineId": "machineA"}',
        location: { file, line: 1, column: 1 },
      });
    }
    for (const [key, value] of Object.entries(entry)) pairs.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  });
  return pairs;
}

async function loadPayloadSchema(file: string, hostEnvFile: string): Promise<PayloadSchema> {
  if (!existsSync(file)) {
    throw new AioError('AIO_EMULATE_SCHEMA_NOT_FOUND', `TK_SCHEMA_CONFIG_PATH in ${hostEnvFile} names ${file}, which does not exist`, {
      hint: 'give a path relative to hostapp.env.list',
      location: { file: hostEnvFile, line: 1, column: 1 },
    });
  }
  return compilePayloadSchema(file, await readUserTextOrThrow(file));
}
