/**
 * Edits to the JavaScript jco 0.15 generates for a component, applied once when the transpiled entry is cached.
 * Each edit matches the generated text exactly. The ones the host needs to work throw when their pattern is
 * missing, so a jco upgrade that changes its output fails loudly at transpile time instead of running half-patched.
 */

/** The entry module, patched: resource tables exposed, debug logging decided once, sync host imports direct. */
export function patchTranspiledEntry(js: string): string {
  return directSyncHostImports(hoistDebugLog(exposeResourceTables(js)));
}

/**
 * jco keeps each imported resource's handle table inside `instantiate`. Modules never drop the `buffer` handles the
 * host lends them, so the host must free them after each call; this hands the tables to the host through the
 * imports object.
 */
export function exposeResourceTables(js: string): string {
  const pattern = /const (captureTable(\d+))= new Map\(\);/g;
  let count = 0;
  const patched = js.replace(pattern, (whole, capture: string, index: string) => {
    count++;
    return `${whole} imports['aio:host/resource-tables']?.register(() => handleTable${index}, ${capture});`;
  });
  if (count === 0 && /captureTable\d/.test(js)) throw outputChanged('resource capture tables not found', 'exposeResourceTables');
  return patched;
}

const DEBUG_LOG =
  /const _debugLog = \(\.\.\.args\) => \{\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\s*console\.debug\(\.\.\.args\);\s*\};/;

/**
 * jco's generated `_debugLog` reads `process.env.JCO_DEBUG` on every call, and the bindings call it many times per
 * module call: a quarter of the emulator's time went to environment lookups. Read it once at instantiation.
 */
export function hoistDebugLog(js: string): string {
  if (!js.includes('const _debugLog')) return js;
  if (!DEBUG_LOG.test(js)) throw outputChanged('_debugLog not in the expected form', 'hoistDebugLog');
  return js.replace(DEBUG_LOG, 'const _debugLog = globalThis?.process?.env?.JCO_DEBUG ? (...args) => console.debug(...args) : () => {};');
}

/** Stands in for the per-call host task of a direct sync import: every method jco calls on it, doing nothing. */
const DIRECT_HOST_TASK = `const _aioDirectHostTask = Object.freeze({ componentIdx: () => -1, id: () => 0, resolve() {}, exit() {}, setErrored() {}, reject() {}, getParentSubtask: () => undefined });\n`;

const TRAMPOLINE = /const _trampoline(\d+) = function\([^)]*\) \{[\s\S]*?\n\s*_trampoline\1\.fnName = /g;
const HOST_TASK_SETUP = /let parentTask;\s*let task;\s*let subtask;\s*const createTask = \(\) => \{[\s\S]*?\n\s*const started = task\.enterSync\(\);/;
const ENDS_WITHOUT_RESULT = /task\.resolve\(\[ret\]\);\s*task\.exit\(\);\s*\}\s*_trampoline\d+\.fnName = $/;
/** A flat result: the trampoline resolves its task with the value it returns (the same expression, e.g. `toUint64(ret)`). */
const ENDS_RETURNING_RESULT = /task\.resolve\(\[([^\]\n]+)\]\);\s*task\.exit\(\);\s*return \1;\s*\}\s*_trampoline\d+\.fnName = $/;
const LOWERING = /: _lowerImportBackwardsCompat\.bind\(\s*null,\s*\{([\s\S]*?)importFn: _trampoline(\d+),\s*\},\s*\);/g;

/**
 * jco 0.15 runs every host import call through its component-model-async bookkeeping: a subtask on the calling
 * task, a new host task, state checks and resolve handlers, about 40 % of a module call that imports `buffer.read`,
 * `log` and a metric. For a sync-lowered sync function none of it does anything: the import runs to completion
 * inside the guest's call and either writes its result into guest memory itself or returns it flat (a clock
 * reading, a handle), the very value jco's lowering would hand back after resolving the subtask. So for exactly
 * those imports (sync lowering, sync function type) the guest calls the generated trampoline directly, and the
 * trampoline's own task is a stand-in. Lifting, lowering, borrow release and trap marking are untouched; async or
 * JSPI imports keep jco's full path. SpiderMonkey-built modules read the monotonic clock on every call, so the
 * flat case is a fifth of their per-call cost. Unlike the patches above this one only saves time, so a trampoline
 * in an unexpected form keeps jco's path; the tests check that the known components are patched.
 */
export function directSyncHostImports(js: string): string {
  // An import jco was told may suspend keeps its full path (none is, in the sync instantiation aio uses).
  if (/\.manuallyAsync = /.test(js)) return js;
  /** Sync-lowered sync imports, by trampoline index: true when the result comes back flat (as the return value). */
  const syncLowered = new Map<string, boolean>();
  for (const [, fields, index] of js.matchAll(LOWERING)) {
    if (!fields!.includes('isAsync: false,') || !fields!.includes('funcTypeIsAsync: false,')) continue;
    const resultInMemory = fields!.includes('hasResultPointer: true,') || /resultLowerFns: \[\],/.test(fields!);
    syncLowered.set(index!, !resultInMemory && fields!.includes('hasResultPointer: false,'));
  }
  const direct = new Set<string>();
  let patched = js.replace(TRAMPOLINE, (body: string, index: string) => {
    const flat = syncLowered.get(index);
    if (flat === undefined || !body.includes('const hostProvided = true;')) return body;
    if (!(flat ? ENDS_RETURNING_RESULT : ENDS_WITHOUT_RESULT).test(body)) return body;
    const setup = HOST_TASK_SETUP.exec(body);
    if (setup === null || !setup[0].includes('isAsync: false,')) return body;
    direct.add(index);
    return body.replace(HOST_TASK_SETUP, 'const task = _aioDirectHostTask;');
  });
  if (direct.size === 0) return js;
  // Only the trampolines rewritten above may skip the lowering: the others still expect the subtask it creates.
  patched = patched.replace(LOWERING, (whole: string, _fields: string, index: string) => (direct.has(index) ? `: _trampoline${index};` : whole));
  return DIRECT_HOST_TASK + patched;
}

function outputChanged(what: string, patch: string): Error {
  return new Error(`jco output changed: ${what}; update ${patch} in src/wasm/jco-output-patches.ts`);
}
