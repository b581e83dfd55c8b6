import { AioError } from '../errors.js';

/** JSON.parse with the error's position turned into line:column. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    const before = text.slice(0, offset).split('\n');
    const location = { file, line: before.length, column: before.at(-1)!.length + 1 };
    throw new AioError('AIO_BAD_JSON', `${file} is not valid JSON: ${message}`, { hint: 'fix the JSON at the position shown', location });
  }
}
