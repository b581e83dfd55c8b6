/**
 * Runs the cases of a `*.cases.yaml` file: each case gets fresh module instances and a fresh state store, its
 * input pushed on the virtual clock its timestamps define, and every window closed at the end. The engine's
 * observer records taps, drops and errors; the expectations are then checked against what was observed.
 */
import type { EngineObserver } from '../engine/graph-engine.js';
import { AioError, isAioError } from '../errors.js';
import { RunKernel } from '../emulator/run-kernel.js';
import { prepareRun } from '../run/prepare-run.js';
import { MemoryLog } from '../engine/run-log.js';
import type { Graph } from '../graph/model.js';
import { loadRunGraph } from '../run/run-graph.js';
import { connectionKey, type CaseFile, type GraphCase } from './case-file.js';
import { checkCase, type Observation } from './case-expectations.js';
import { destinationsOf, observe, observeSink, virtualMillis, type ObservedMessage } from './observed-message.js';
import type { CaseResult, CaseRunOptions } from './run-case.js';
import { rewriteExpectations } from './update-cases.js';

export async function runGraphCases(caseFile: CaseFile, options: CaseRunOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const observations = new Map<number, Observation>();
  // Loaded once for all cases; an invalid graph is reported on each case, as any other reason it cannot start.
  const graph = loadRunGraph(caseFile.graph, { flags: options.graphFiles ?? [] });
  graph.catch(() => undefined);
  for (const graphCase of caseFile.cases) {
    const started = performance.now();
    const base = { name: graphCase.name, file: `${caseFile.file}:${graphCase.pos.line}`, mismatches: [] };
    const elapsed = () => Math.round(performance.now() - started);
    let observed: Observation;
    try {
      const run = await observeCase(caseFile, await graph, graphCase, options, started);
      if ('timedOut' in run) {
        results.push({ ...base, status: 'failed', millis: elapsed(), reason: run.timedOut });
        continue;
      }
      observed = run.observation;
    } catch (error) {
      if (!isAioError(error)) throw error;
      results.push({ ...base, status: 'error', millis: elapsed(), reason: error.oneLine() });
      continue;
    }
    observations.set(graphCase.index, observed);
    const actual = { sink: observed.sink.map(({ payloadText: _text, ...m }) => m), dropped: observed.dropped, errors: observed.errors };
    if (options.update) {
      results.push({ ...base, status: 'passed', millis: elapsed(), actual, updated: true });
      continue;
    }
    const mismatches = checkCase(graphCase, observed);
    results.push(
      mismatches.length === 0
        ? { ...base, status: 'passed', millis: elapsed(), actual }
        : { ...base, status: 'failed', millis: elapsed(), reason: `${mismatches.length} expectation(s) not met`, mismatches, actual },
    );
  }
  if (options.update && observations.size > 0) await rewriteExpectations(caseFile, observations);
  return results;
}

async function observeCase(
  caseFile: CaseFile,
  graph: Graph,
  graphCase: GraphCase,
  options: CaseRunOptions,
  started: number,
): Promise<{ observation: Observation } | { timedOut: string }> {
  const qualified = Object.entries(graphCase.parameters).filter(([key]) => key.includes('.'));
  const prepared = await prepareRun({
    graphFile: caseFile.graph,
    graph,
    builtinOptions: options.builtinOptions,
    moduleDirs: options.moduleDirs,
    limits: options.limits,
    hostPool: options.hostPool,
    params: qualified.map(([key, value]) => `${key}=${value}`),
    configuration: Object.entries(graphCase.parameters)
      .filter(([key]) => !key.includes('.'))
      .map(([key, value]) => ({ key, value })),
    ...(graphCase.stateStore === undefined ? {} : { stateStoreSeed: graphCase.stateStore }),
    log: new MemoryLog('info'),
  });
  try {
    const connections = new Set(prepared.graph.connections.map((c) => connectionKey(c.from.name, c.to.name)));
    for (const tap of graphCase.expect.taps) {
      if (!connections.has(connectionKey(tap.from, tap.to))) {
        throw new AioError('AIO_TEST_UNKNOWN_TAP', `tap "${tap.key}" names no connection of ${caseFile.graph}`, {
          hint: `the connections are: ${[...connections].join(', ')}`,
          location: { file: caseFile.file, ...tap.pos },
        });
      }
    }
    // Recorded by connection, reported under each tap's key as the case wrote it.
    const crossings = new Map(graphCase.expect.taps.map((t) => [connectionKey(t.from, t.to), [] as ObservedMessage[]]));
    const observation: Observation = {
      sink: [],
      taps: new Map(graphCase.expect.taps.map((t) => [t.key, crossings.get(connectionKey(t.from, t.to))!])),
      dropped: [],
      errors: [],
    };
    const observer: EngineObserver = {
      crossed: (from, to, item) => crossings.get(connectionKey(from, to))?.push(observe(item)),
      dropped: (operation, item, reason) => observation.dropped.push({ operation, reason, at: virtualMillis(item.timestamp) }),
      failed: (operation, failure) =>
        observation.errors.push({ operation, reason: failure.message, ...(failure.timestamp === undefined ? {} : { at: virtualMillis(failure.timestamp) }) }),
    };
    let now = 0;
    const destinations = destinationsOf(prepared.graph);
    const kernel = new RunKernel(prepared, {
      output: (item, sink) => observation.sink.push(observeSink(item, sink, destinations)),
      observer,
      processingTime: () => now,
    });
    for (const [index, message] of graphCase.input.entries()) {
      if (performance.now() - started > caseFile.timeoutMs)
        return { timedOut: `timed out after ${caseFile.timeoutMs} ms with ${index} of ${graphCase.input.length} inputs processed` };
      now = virtualMillis(message.timestamp); // a throttle's processing clock is the case's virtual clock
      kernel.input(graphCase.name, message);
    }
    kernel.finish();
    if (performance.now() - started > caseFile.timeoutMs) return { timedOut: `timed out after ${caseFile.timeoutMs} ms` };
    return { observation };
  } finally {
    await prepared.close();
  }
}
