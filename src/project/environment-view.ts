import type { Environment, Project } from './model.js';

const SECRET_KEY = /secret|password|token|credential|key$/i;
export const MASK = '***';

/**
 * The resolved environment as a plain object for `aio env show` and `--json`: defaults applied, variables
 * filled, and every secret masked (values that came from secret-named variables, and secret-named keys).
 */
export function environmentView(project: Project, environment: Environment): Record<string, unknown> {
  const mask = (value: string, key = ''): string => (project.secrets.has(value) || SECRET_KEY.test(key) ? MASK : value);
  const deep = (value: unknown, key = ''): unknown => {
    if (typeof value === 'string') return mask(value, key);
    if (Array.isArray(value)) return value.map((v) => deep(v, key));
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, deep(v, k)]),
      );
    return value;
  };
  const { positionOf: _positions, pos: _pos, configuration, pipeline, ...rest } = environment;
  const nodes = pipeline?.nodes.map(({ pos: _at, configuration: nodeConfiguration, ...node }) => ({
    ...node,
    configuration: Object.fromEntries(nodeConfiguration.map(({ key, value }) => [key, mask(value, key)])),
  }));
  return deep({
    ...rest,
    configuration: Object.fromEntries(configuration.map(({ key, value }) => [key, mask(value, key)])),
    ...(pipeline === undefined ? {} : { pipeline: { name: pipeline.pipeline, variables: Object.fromEntries(pipeline.variables), nodes } }),
  }) as Record<string, unknown>;
}
