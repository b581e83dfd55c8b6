/**
 * A pipeline's Destination node (spec builtin-transforms.md §1.7): resolves the `dataDestination` topic of each
 * item (static, `${outputTopic}` or `${outputTopic.N}`), applies the header actions in list order, and passes the
 * item on with `destinationTopic` set, for whichever output (MQTT publisher, data-folder file, test collector)
 * the run has. An item whose topic cannot be resolved is dropped with the reason, as the cluster drops and logs it.
 */
import type { HeaderAction } from '../graph/model.js';
import type { GraphNode, NodeContext } from '../engine/operators.js';
import type { Item, Message } from '../engine/message.js';

export interface DestinationSpec {
  /** `dataDestination` as written. */
  topic: string;
  headers: readonly HeaderAction[];
}

const VARIABLE = /\$\{outputTopic(?:\.(\d+))?\}/g;
const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The topic for `item`, or why there is none. `${outputTopic}` needs a topic written by a transform (a map writing
 * `$metadata.topic`): the docs' literal reading, so a pipeline that forgot the map fails visibly here rather than
 * republishing on the source topic. Segments are 1-based; leading and trailing `/` are ignored.
 */
export function resolveDestinationTopic(template: string, item: Item): { topic: string } | { reason: string } {
  if (!template.includes('${outputTopic')) return { topic: template };
  if (item.kind !== 'message' || item.topicWritten !== true) {
    return { reason: `${template} needs $metadata.topic, and no transform before this destination wrote it (add a map rule with output "$metadata.topic")` };
  }
  const topic = utf8.decode(item.topic);
  const segments = topic.replace(/^\/+|\/+$/g, '').split('/');
  let missing: string | undefined;
  const resolved = template.replace(VARIABLE, (whole, index: string | undefined) => {
    if (index === undefined) return topic;
    const segment = segments[Number(index) - 1];
    if (segment === undefined || Number(index) === 0) missing ??= `${whole} asks for segment ${index} of "${topic}", which has ${segments.length}`;
    return segment ?? '';
  });
  if (missing !== undefined) return { reason: missing };
  if (resolved === '' || /[+#]/.test(resolved)) return { reason: `${template} resolved to "${resolved}", which is not a topic name one can publish to` };
  return { topic: resolved };
}

/** Header actions in list order (§1.7.3): on MQTT, headers are the message's user properties. */
export function applyHeaderActions(properties: ReadonlyArray<[string, string]>, actions: readonly HeaderAction[]): Array<[string, string]> {
  let result = [...properties];
  for (const action of actions) {
    const present = result.some(([key]) => key === action.key);
    if (action.actionType === 'Remove') result = result.filter(([key]) => key !== action.key);
    else if (action.actionType === 'AddOrReplace') result = [...result.filter(([key]) => key !== action.key), [action.key, action.value ?? '']];
    else if (!present) result.push([action.key, action.value ?? '']);
  }
  return result;
}

export function destinationNode(spec: DestinationSpec, context: NodeContext): GraphNode {
  return {
    receive(item) {
      const resolved = resolveDestinationTopic(spec.topic, item);
      if ('reason' in resolved) {
        context.out.drop(item, resolved.reason);
        return;
      }
      if (item.kind !== 'message') {
        context.out.emit(item);
        return;
      }
      const routed: Message = {
        ...item,
        topic: encoder.encode(resolved.topic),
        destinationTopic: resolved.topic,
        userProperties: spec.headers.length === 0 ? item.userProperties : applyHeaderActions(item.userProperties, spec.headers),
      };
      context.out.emit(routed);
    },
    advance: (frontier) => frontier,
  };
}
