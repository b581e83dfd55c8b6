/**
 * Says so when `aio emulate` serves something beyond this machine: the embedded broker takes anyone's publishes
 * unless it has credentials; the dashboard, /metrics and the inspector have none.
 */
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export function exposureWarnings(listening: {
  broker?: { host: string; port: number; credentials: boolean } | undefined;
  ui?: { host: string; port: number } | undefined;
  metrics?: { host: string; port: number } | undefined;
  inspect?: { host: string; port: number } | undefined;
}): string[] {
  const warnings: string[] = [];
  const { broker, ui, metrics, inspect } = listening;
  if (broker && !isLoopback(broker.host)) {
    warnings.push(
      broker.credentials
        ? `warning: the embedded broker listens on ${broker.host}:${broker.port}, beyond this machine; clients must present --username and its password`
        : `warning: the embedded broker listens on ${broker.host}:${broker.port}, beyond this machine, and takes any client: pass --username and set AIO_MQTT_PASSWORD to require credentials`,
    );
  }
  for (const [what, address, shows] of [
    ['the dashboard (--ui)', ui, "the run's messages and log"],
    ['/metrics (--metrics)', metrics, "the run's counts and module metrics"],
    ["Node's inspector (--inspect)", inspect, 'this process and can run any code in it'],
  ] as const) {
    if (address && !isLoopback(address.host)) {
      warnings.push(
        `warning: ${what} listens on ${address.host}:${address.port}, beyond this machine, without authentication: anyone who reaches it sees ${shows}`,
      );
    }
  }
  return warnings;
}
