/**
 * The built-in throttle (spec builtin-transforms.md §3.6, §6): per topic pattern, at most one message per
 * `ceil(1000 / maxMessagesPerSecond)` ms of processing time is forwarded. The first matching rule decides, and its
 * state is shared by every topic the pattern matches. Processing time, never the message timestamp, is the clock,
 * so a replay at full speed is throttled as hard as the cluster throttles a burst.
 */
import type { BuiltinCompileResult, BuiltinServices, ConfigurationEntry } from '../builtin-transform.js';
import type { GraphNode, NodeContext } from '../../engine/operators.js';
import type { Item } from '../../engine/message.js';
import { isValidFilter, topicMatches } from '../../util/topic-filter.js';
import { ConfigReader } from '../config/config-reader.js';

export interface ThrottleRule {
  topic: string;
  maxMessagesPerSecond: number;
}

const utf8 = new TextDecoder();

export function compileThrottle(entries: readonly ConfigurationEntry[]): BuiltinCompileResult {
  const reader = new ConfigReader(entries, ['throttle']);
  const rules = readRules(reader);
  if (rules === undefined || reader.failed) return { findings: reader.findings, builtin: undefined };
  return {
    findings: reader.findings,
    builtin: { name: 'throttle', version: '1.0.0', outputs: [], instantiate: (context, services) => throttleNode(rules, context, services) },
  };
}

function readRules(reader: ConfigReader): ThrottleRule[] | undefined {
  const root = reader.document('throttle', true);
  if (root === undefined) return undefined;
  const list = reader.members('throttle', root, 'throttle', { perTopicThrottles: ['array', true] })?.perTopicThrottles;
  if (list?.kind !== 'array') return undefined;
  const rules: ThrottleRule[] = [];
  const firstAt = new Map<string, number>();
  list.items.forEach((item, i) => {
    const where = `perTopicThrottles[${i}]`;
    const members = reader.members('throttle', item, where, { topic: ['string', true], maxMessagesPerSecond: ['number', true] });
    const { topic, maxMessagesPerSecond: rate } = members ?? {};
    if (topic?.kind !== 'string' || rate?.kind !== 'number') return;
    if (!isValidFilter(topic.value)) {
      reader.error(
        'throttle',
        topic.offset,
        'AIO_BUILTIN_THROTTLE_TOPIC',
        `${where}.topic ${JSON.stringify(topic.value)} is not a valid MQTT topic filter`,
        '`+` stands for one whole level, `#` for the remaining levels and only as the last level; the filter must not be empty',
      );
    } else if (firstAt.has(topic.value)) {
      reader.error(
        'throttle',
        topic.offset,
        'AIO_BUILTIN_THROTTLE_DUPLICATE_TOPIC',
        `${where}.topic ${JSON.stringify(topic.value)} repeats perTopicThrottles[${firstAt.get(topic.value)}]; the cluster refuses to start such a throttle`,
        'keep one rule per topic pattern',
      );
    } else {
      firstAt.set(topic.value, i);
    }
    if (!Number.isFinite(rate.value) || rate.value < 0) {
      reader.error(
        'throttle',
        rate.offset,
        'AIO_BUILTIN_THROTTLE_RATE',
        `${where}.maxMessagesPerSecond must be a finite number ≥ 0, found ${rate.raw}`,
        '0 drops every matching message',
      );
    }
    rules.push({ topic: topic.value, maxMessagesPerSecond: rate.value });
  });
  return rules;
}

/** The minimum gap between forwarded messages; a rate of 1000/s or more leaves 1 ms (the clock's resolution). */
export function throttleInterval(rate: number): number {
  return Math.max(1, Math.ceil(1000 / rate));
}

export function throttleNode(rules: readonly ThrottleRule[], context: NodeContext, services: BuiltinServices): GraphNode {
  const compiled = rules.map((rule) => ({
    ...rule,
    interval: rule.maxMessagesPerSecond === 0 ? Infinity : throttleInterval(rule.maxMessagesPerSecond),
    reason: `throttled by rule ${rule.topic} (${rule.maxMessagesPerSecond} msg/s)`,
    lastForwarded: undefined as number | undefined,
  }));
  return {
    receive(item: Item) {
      const topic = item.kind === 'message' ? utf8.decode(item.topic) : '';
      const rule = compiled.find((r) => topicMatches(r.topic, topic));
      if (rule === undefined) {
        context.out.emit(item);
        return;
      }
      const now = services.processingTime();
      // `>=`: a message exactly one interval after the last forwarded one is forwarded (spec §6 recommendation).
      if (rule.interval !== Infinity && (rule.lastForwarded === undefined || now - rule.lastForwarded >= rule.interval)) {
        rule.lastForwarded = now;
        context.out.emit(item);
      } else {
        context.out.drop(item, rule.reason);
      }
    },
    advance: (frontier) => frontier,
  };
}
