/** The HTTP servers of a live run: the dashboard's (`--ui`, which serves /metrics too) and `--metrics`'s own. */
import type { Graph } from '../../graph/model.js';
import type { EmulateOptions, EmulateReporter } from '../emulate-session.js';
import type { RunServer } from './run-server.js';

export interface RunServers {
  all: RunServer[];
  dashboard: RunServer | undefined;
}

/** `--ui` and `--metrics`: one server when they share an address (or only --ui is given: it serves /metrics too). */
export async function startServers(
  options: Pick<EmulateOptions, 'ui' | 'metrics'>,
  graph: Graph,
  reporter: Pick<EmulateReporter, 'announce' | 'dashboard'>,
): Promise<RunServers> {
  const { ui, metrics } = options;
  if (!ui && !metrics) return { all: [], dashboard: undefined };
  // Loaded only for a run that serves: the dashboard's server brings the graph layout (dagre) with it.
  const { startRunServer } = await import('./run-server.js');
  const dashboard = ui && (await startRunServer(ui, { graph }));
  const sameAddress = ui && metrics && ui.host === metrics.host && ui.port === metrics.port;
  const metricsOnly =
    metrics && !sameAddress
      ? await startRunServer(metrics).catch(async (error: unknown) => {
          await dashboard?.close();
          throw error;
        })
      : undefined;
  if (dashboard) {
    reporter.announce(`ui: ${dashboard.url}`);
    reporter.dashboard?.(dashboard.url);
  }
  const metricsServer = metricsOnly ?? (metrics ? dashboard : undefined);
  if (metricsServer) reporter.announce(`metrics: ${metricsServer.url}metrics`);
  return { all: [dashboard, metricsOnly].filter((s): s is RunServer => s !== undefined), dashboard };
}
