// The slice of the WebAssembly JS API that aio uses. Node provides it globally; TypeScript only declares it in the
// DOM lib, which would also let browser-only globals type-check in Node code.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  type Imports = Record<string, Record<string, unknown>>;
  class RuntimeError extends Error {}
  function compile(bytes: Uint8Array): Promise<Module>;
}
