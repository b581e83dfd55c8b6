import { finding, type Finding } from '../../diagnostics.js';
import type { GraphRule } from './rule.js';

/** The WIT package version this tool hosts (wasm-graph:processor@1.1.0). */
export const SUPPORTED_RUNTIME_VERSION = '1.1.0';

export const runtimeVersion: GraphRule = {
  id: 'runtime-version',
  codes: { AIO_GRAPH_RUNTIME_VERSION: 'moduleRequirements names a version other than 1.1.0 (warning)' },
  check(graph) {
    const out: Finding[] = [];
    for (const [key, version] of [
      ['apiVersion', graph.apiVersion],
      ['runtimeVersion', graph.runtimeVersion],
    ] as const) {
      if (version === undefined || version.value === SUPPORTED_RUNTIME_VERSION || version.value.includes('${')) continue;
      out.push(
        finding(
          'warning',
          'AIO_GRAPH_RUNTIME_VERSION',
          version.pos,
          `moduleRequirements.${key} is "${version.value}"; current modules are built for "${SUPPORTED_RUNTIME_VERSION}"`,
          `set ${key}: "${SUPPORTED_RUNTIME_VERSION}" unless your modules target another runtime`,
        ),
      );
    }
    return out;
  },
};
