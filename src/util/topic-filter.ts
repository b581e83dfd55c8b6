/** MQTT topic filters (`+` one level, `#` the rest): the sink-loop check, the embedded broker, pipeline sources. */

export function topicMatches(filter: string, topic: string): boolean {
  // A filter without wildcards matches its one topic: no splitting (the embedded broker asks per message and client).
  if (!filter.includes('+') && !filter.includes('#') && !filter.startsWith('$share/')) return filter === topic;
  if (filter.startsWith('$share/')) filter = filter.split('/').slice(2).join('/');
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return !(i === 0 && topic.startsWith('$'));
    if (i >= t.length) return false;
    if (f[i] === '+') {
      if (i === 0 && topic.startsWith('$')) return false;
      continue;
    }
    if (f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** A concrete topic the filter matches: what data-folder input messages carry (`sensors/#` → `sensors`). */
export function exampleTopic(filter: string): string {
  const levels = filter.split('/');
  if (levels.at(-1) === '#') levels.pop();
  return levels.map((l) => (l === '+' ? 'data' : l)).join('/') || 'data';
}

export function isValidFilter(filter: string): boolean {
  if (filter === '' || filter.includes('\0')) return false;
  const levels = filter.split('/');
  return levels.every((l, i) => (l.includes('#') ? l === '#' && i === levels.length - 1 : !l.includes('+') || l === '+'));
}
