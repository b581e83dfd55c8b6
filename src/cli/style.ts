import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/** Colour only for people: never when output is piped, in CI logs that set NO_COLOR, or under --json. */
export function colorEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && process.env['NO_COLOR'] === undefined && process.env['TERM'] !== 'dumb';
}

export function paint(style: Style, text: string, enabled = colorEnabled()): string {
  return enabled ? styleText(style, text) : text;
}
