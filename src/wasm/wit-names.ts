/** Names from the `wasm-graph:processor` WIT package (see wit/ and the shared spec). */

export const WIT_PACKAGE = 'wasm-graph:processor';
export const WIT_VERSION = '1.1.0';
/** The 2025 preview package; its `process` functions return plain values, so this host cannot run it. */
export const LEGACY_WIT_PACKAGE = 'tinykube-graph:processor';

/** The operator interfaces, by the graph's operationType. */
export const OPERATOR_INTERFACES = ['map', 'filter', 'branch', 'accumulate', 'delay'] as const;
export type OperatorInterface = (typeof OPERATOR_INTERFACES)[number];

/** Interfaces of the package this host implements for modules to import. */
export const HOST_INTERFACES = [
  'types',
  'hybrid-logical-clock',
  'logger',
  'metrics',
  'state-store-types',
  'state-store',
  'schema-types',
  'schema-registry',
  'rpc-types',
  'command-invoker',
] as const;

/**
 * WASI 0.2 interfaces a module may import. Clocks, random and stdio work; the filesystem has no preopened
 * directories and sockets and HTTP refuse every request, so a module loads but cannot reach outside.
 */
export const WASI_INTERFACES = [
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:filesystem/types',
  'wasi:filesystem/preopens',
  'wasi:sockets/network',
  'wasi:sockets/instance-network',
  'wasi:sockets/ip-name-lookup',
  'wasi:sockets/tcp',
  'wasi:sockets/tcp-create-socket',
  'wasi:sockets/udp',
  'wasi:sockets/udp-create-socket',
  'wasi:http/types',
  'wasi:http/outgoing-handler',
] as const;

/** A parsed interface reference such as `wasi:io/streams@0.2.12`. */
export interface InterfaceRef {
  /** `namespace:package/interface`, no version: the key jco's instantiation imports use. */
  name: string;
  package: string;
  interface: string;
  version?: string;
}

export function parseInterfaceRef(text: string): InterfaceRef | undefined {
  const match = /^([a-z0-9-]+:[a-z0-9-]+)\/%?([a-z0-9-]+)(?:@([^\s;]+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, pkg, iface, version] = match;
  return { name: `${pkg}/${iface}`, package: pkg!, interface: iface!, version };
}

export function formatInterfaceRef(ref: InterfaceRef): string {
  return ref.version ? `${ref.name}@${ref.version}` : ref.name;
}
