/**
 * `aio test` as a service: finds the test files under the given paths and runs each in its format (an AIO
 * descriptor, `*.test.yaml`, is one case; a `*.cases.yaml` file many), reporting each file's results as they come.
 */
import type { RunLimits } from '../run/run-limits.js';
import type { BuiltinOptions } from '../builtins/builtin-transform.js';
import { ModuleHostPool } from '../wasm/hosting/module-host-pool.js';
import { AioError } from '../errors.js';
import { CASES_FILE, loadCaseFile } from './case-file.js';
import { loadDescriptor } from './descriptor.js';
import { discoverTests } from './discover-tests.js';
import { runCase, type CaseResult } from './run-case.js';
import { runGraphCases } from './run-graph-cases.js';

export interface RunTestsOptions {
  paths: readonly string[];
  moduleDirs: readonly string[];
  /** Rewrite expectations from the actual output. */
  update: boolean;
  limits: RunLimits;
  /** A pipeline's custom Graph nodes: `--graph-file <artifact>=<file>` values. */
  graphFiles?: readonly string[];
  /** How a pipeline's built-in transforms read what the docs leave open. */
  builtinOptions?: BuiltinOptions | undefined;
  /** Called with each file's results, in order. */
  onResults?: (results: CaseResult[]) => void;
}

export interface TestRun {
  passed: number;
  failed: number;
  cases: CaseResult[];
}

export async function runTests(options: RunTestsOptions): Promise<TestRun> {
  const files = await discoverTests(options.paths);
  if (files.length === 0) {
    throw new AioError('AIO_TEST_NONE_FOUND', `no *.test.yaml or *.cases.yaml files under ${options.paths.join(', ')}`, {
      hint: 'write a test descriptor (see aio test --help) or name one directly',
    });
  }
  const cases: CaseResult[] = [];
  const hostPool = new ModuleHostPool();
  const runOptions = {
    moduleDirs: options.moduleDirs,
    update: options.update,
    limits: options.limits,
    hostPool,
    graphFiles: options.graphFiles,
    builtinOptions: options.builtinOptions,
  };
  try {
    for (const file of files) {
      const results = CASES_FILE.test(file)
        ? await runGraphCases(await loadCaseFile(file), runOptions)
        : [await runCase(await loadDescriptor(file), runOptions)];
      cases.push(...results);
      options.onResults?.(results);
    }
  } finally {
    await hostPool.close();
  }
  const failed = cases.filter((r) => r.status !== 'passed').length;
  return { passed: cases.length - failed, failed, cases };
}
