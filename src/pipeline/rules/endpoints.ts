import { finding, type Finding } from '../../diagnostics.js';
import type { PipelineRule } from './rule.js';

/** The AIO MQTT broker's endpoint, the one a local run stands in for (embedded broker or `--broker`). */
const LOCAL_ENDPOINT = 'default';

/** Sources and destinations on an endpoint other than `default` cannot run locally until an environment binds it. */
export const endpoints: PipelineRule = {
  id: 'endpoints',
  codes: {
    AIO_PIPELINE_ENDPOINT_NOT_LOCAL: 'a source or destination uses an endpoint other than `default`: not runnable locally until an environment binds it',
  },
  check(manifest) {
    const out: Finding[] = [];
    for (const node of manifest.nodes) {
      if (node.nodeType === 'Graph' || node.endpointRef === undefined || node.endpointRef.value === LOCAL_ENDPOINT) continue;
      out.push(
        finding(
          'info',
          'AIO_PIPELINE_ENDPOINT_NOT_LOCAL',
          node.endpointRef.pos,
          `${node.nodeType.toLowerCase()} ${node.name} uses endpoint "${node.endpointRef.value}"; only "${LOCAL_ENDPOINT}" (the AIO MQTT broker) runs locally`,
          'valid for the cluster; to run it locally, bind the endpoint in an aio.yaml environment',
        ),
      );
    }
    return out;
  },
};
