/**
 * The call deadline on the engine's own thread: an instrumented module that loops (in its own code, or calling the
 * host again and again) fails that item as `deadline` at the limit, its instance starts anew, and the next item
 * passes. What instrumentation cannot bound goes to a module thread, and the plan says why.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OperatorFailure } from '../../src/engine/operator-failure.js';
import { createMessage, payloadOf } from '../../src/engine/message.js';
import { MemoryLog } from '../../src/engine/run-log.js';
import { createEngine } from '../../src/run/instantiate-run.js';
import { prepareRun } from '../../src/run/prepare-run.js';
import { DEFAULT_RUN_LIMITS } from '../../src/run/run-limits.js';
import { planModuleHost } from '../../src/wasm/hosting/module-host.js';
import { loadComponentFile } from '../../src/wasm/load-component.js';
import { fixtureComponent, useSharedCache } from '../helpers/components.js';

const GRAPH = `metadata: { $schema: "https://www.schemastore.org/aio-wasm-graph-config-1.0.0.json", name: deadline, version: "1.0.0" }
moduleRequirements: { apiVersion: "1.1.0", runtimeVersion: "1.1.0" }
operations:
  - { operationType: source, name: source }
  - { operationType: map, name: bad/map, module: "misbehaving:1.0.0" }
  - { operationType: sink, name: sink }
connections:
  - { from: { name: source }, to: { name: bad/map } }
  - { from: { name: bad/map }, to: { name: sink } }
`;

const LIMIT_MS = 300;
let dir: string;

describe('the call deadline on the calling thread', () => {
  before(async () => {
    useSharedCache();
    dir = await mkdtemp(join(tmpdir(), 'aio-call-deadline-'));
    await writeFile(join(dir, 'graph.yaml'), GRAPH);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('stops a loop in the module and a loop through host calls at the deadline; the next item passes', async () => {
    const prepared = await prepareRun({
      graphFile: join(dir, 'graph.yaml'),
      moduleDirs: [join(fixtureComponent('misbehaving'), '..')],
      params: [],
      log: new MemoryLog('error'),
      limits: { ...DEFAULT_RUN_LIMITS, callDeadlineMs: LIMIT_MS },
    });
    try {
      assert.deepEqual(prepared.placement, { kind: 'in-thread', bounded: true });
      const sunk: string[] = [];
      const failures: OperatorFailure[] = [];
      const engine = createEngine(prepared, (item) => sunk.push(Buffer.from(payloadOf(item)).toString()), {
        crossed: () => undefined,
        dropped: () => undefined,
        failed: (_operation, failure) => failures.push(failure),
      });
      let secs = 1_763_000_000;
      const push = (payload: string): number => {
        const started = performance.now();
        engine.push(createMessage({ timestamp: { secs: secs++, nanos: 0, counter: 0, nodeId: 't' }, topic: 't', payload }));
        return performance.now() - started;
      };
      push('ok-1');
      const inModule = push('loop');
      push('ok-2');
      const inHostCalls = push('host');
      push('ok-3');
      engine.finish();
      assert.deepEqual(sunk, ['ok-1', 'ok-2', 'ok-3']);
      assert.deepEqual(
        failures.map((f) => [f.kind, f.operation]),
        [
          ['deadline', 'bad/map'],
          ['deadline', 'bad/map'],
        ],
      );
      assert.match(failures[0]!.detail, new RegExp(`no result within ${LIMIT_MS} ms.*its instance was stopped and start anew`));
      for (const elapsed of [inModule, inHostCalls]) assert.ok(elapsed >= LIMIT_MS - 1, `stopped after ${elapsed.toFixed(0)} ms, not before the limit`);
    } finally {
      await prepared.close();
    }
  });

  it('plans a module thread for a module importing wasi:nn, and no bound at all with --call-deadline 0', async () => {
    const inference = await loadComponentFile(fixtureComponent('needs-inference'), 256, true);
    const operations = [{ component: inference, operation: 'infer', interface: 'map' as const, configuration: { properties: [] } }];
    const placement = planModuleHost(operations, DEFAULT_RUN_LIMITS);
    assert.equal(placement.kind, 'module-thread');
    assert.match(placement.kind === 'module-thread' ? placement.reason : '', /infer.*wasi:nn/);
    assert.deepEqual(planModuleHost(operations, { ...DEFAULT_RUN_LIMITS, callDeadlineMs: 0 }), { kind: 'in-thread', bounded: false });
  });
});
