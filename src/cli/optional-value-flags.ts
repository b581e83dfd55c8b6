/**
 * Flags whose value may be left out, as in `--ui` or `--ui 127.0.0.1:8080`. oclif has no such flag, so before
 * parsing, a bare one becomes `--flag=<default>`. A value counts as the flag's own only if it looks like what the
 * flag takes (`looksLikeValue`), so `aio emulate --ui graph.yaml` still reads graph.yaml as the argument.
 */
export interface OptionalValueFlag {
  name: string;
  fallback: string;
  looksLikeValue: (token: string) => boolean;
}

/** `host:port`, `:port` or `port`. */
export const looksLikeListenAddress = (token: string): boolean => /^(?:[^\s/]*:)?\d{1,5}$/.test(token);

export function withDefaultValues(argv: readonly string[], flags: readonly OptionalValueFlag[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    out.push(token);
    if (token === '--') {
      out.push(...argv.slice(i + 1));
      break;
    }
    const flag = flags.find((f) => `--${f.name}` === token);
    if (!flag) continue;
    const next = argv[i + 1];
    if (next !== undefined && flag.looksLikeValue(next)) continue;
    out[out.length - 1] = `--${flag.name}=${flag.fallback}`;
  }
  return out;
}
