/**
 * Reading the parts every map/filter/branch rule and dataset shares: `inputs` (each parsed as an input string and
 * checked for where it may be used) and `expression` (compiled for its context). Problems are reported at their
 * character inside the JSON string, escapes included.
 */
import type { ConfigReader } from '../config/config-reader.js';
import type { JsonNode, JsonString } from '../config/json-document.js';
import type { CompiledExpression, ExpressionContext, InputSpec } from '../expression/api.js';
import { compileExpression } from '../expression/compile.js';
import { parseInputSpec } from '../expression/input-spec.js';

export type RuleContext = 'map' | 'filter' | 'branch' | 'dataset';

/** Parses `inputs`; undefined when any input is unusable (each problem already reported). */
export function readInputSpecs(
  reader: ConfigReader,
  key: string,
  node: JsonNode,
  where: string,
  context: RuleContext,
  aliases: readonly string[],
): InputSpec[] | undefined {
  if (node.kind !== 'array') return undefined;
  const specs: InputSpec[] = [];
  let usable = true;
  node.items.forEach((item, i) => {
    const at = `${where}.inputs[${i}]`;
    if (!reader.expect(key, item, 'string', at)) return (usable = false);
    const text = item as JsonString;
    const parsed = parseInputSpec(text.value, { wildcards: context === 'map' });
    if (!parsed.ok) {
      reader.problems(key, text, at, parsed.problems);
      return (usable = false);
    }
    const spec = placed(reader, key, text, at, parsed.spec, context, aliases);
    if (spec === undefined) return (usable = false);
    specs.push(spec);
  });
  return usable ? specs : undefined;
}

/** The spec if it may be used in `context` (a `$context(alias).x` dataset input reads as `$context.x`). */
function placed(
  reader: ConfigReader,
  key: string,
  text: JsonString,
  at: string,
  spec: InputSpec,
  context: RuleContext,
  aliases: readonly string[],
): InputSpec | undefined {
  const offset = text.sourceOffset(0);
  const refuse = (message: string, hint: string): undefined => {
    reader.error(key, offset, 'AIO_BUILTIN_INPUT_PLACE', `${at}: ${message}`, hint);
    return undefined;
  };
  const kind = spec.path.kind;
  if (context === 'dataset') {
    if (spec.last || spec.fallback !== undefined)
      return refuse('dataset inputs take no `? $last` or `??` modifier', 'write "$source.<field>" or "$context.<field>"');
    if (kind === 'context') return { ...spec, path: { kind: 'dataset-record', segments: spec.path.segments } };
    if (kind !== 'dataset-source' && kind !== 'dataset-record') {
      return refuse(
        `dataset inputs read $source.<field> (the message) or $context.<field> (a stored record), not ${spec.text}`,
        `e.g. "$source.${spec.text.replace(/^\$\w+\.?/, '')}"`,
      );
    }
    return spec;
  }
  if (kind === 'dataset-source' || kind === 'dataset-record') {
    return refuse(`${spec.text} is only valid in a dataset's inputs`, 'rules read the message by field name and a matched record by $context(<alias>).<field>');
  }
  if (kind === 'context' && !aliases.includes(spec.path.alias)) {
    const known = aliases.length === 0 ? 'no datasets are defined' : `the aliases are ${aliases.join(', ')}`;
    reader.error(
      key,
      offset,
      'AIO_BUILTIN_UNKNOWN_ALIAS',
      `${at}: no dataset has the alias ${spec.path.alias} (${known})`,
      'add a `datasets` entry {"key": "<state-store key> as <alias>", …}',
    );
    return undefined;
  }
  return spec;
}

/** Compiles `expression` for its context; undefined after reporting its problems. Warnings are reported too. */
export function readExpression(
  reader: ConfigReader,
  key: string,
  text: JsonString,
  where: string,
  context: ExpressionContext,
  inputCount: number,
): CompiledExpression | undefined {
  const compiled = compileExpression(text.value, { context, inputCount });
  reader.problems(key, text, `${where}.expression`, compiled.ok ? compiled.warnings : compiled.problems);
  return compiled.ok ? compiled.expression : undefined;
}

/** The aliases that `datasets` defines, read before the rules so `$context(alias)` can be checked. */
export function aliasesOf(plans: ReadonlyArray<{ alias: string }>): string[] {
  return plans.map((plan) => plan.alias);
}
