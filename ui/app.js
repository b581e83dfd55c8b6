// The `aio emulate --ui` page: draws the graph the server laid out, keeps its counts live from the event stream
// (/api/events), and asks the run for an operation's last messages and for the state store when shown. Plain
// browser JavaScript on purpose: the page is served as it is, with nothing to build or fetch from elsewhere.

const SVG = 'http://www.w3.org/2000/svg';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'];
const LOG_SHOWN = 500;
const STATE_EVERY_MS = 2000;

const nodes = new Map(); // operation → { group, counts, latency }
const logLines = [];
let selected;
let inspectorTab = 'in';
// Each inspector request is numbered; an answer that arrives after a newer request was made is dropped, so a slow
// answer for the previous operation or tab never replaces the one the user asked for last.
let inspectorAsked = 0;

const $ = (id) => document.getElementById(id);

function el(tag, attributes = {}, ...children) {
  const node = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.append(child);
  return node;
}

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok && response.status !== 404) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function drawGraph(layout) {
  $('graph-name').textContent = layout.name;
  const svg = $('graph');
  svg.setAttribute('viewBox', `0 0 ${layout.width} ${layout.height}`);
  // Drawn at its own size, shrunk only to fit the panel's width.
  svg.setAttribute('width', layout.width);
  svg.setAttribute('height', layout.height);
  const defs = el('svg:defs');
  const marker = el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' });
  marker.append(el('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#98a2b3' }));
  defs.append(marker);
  svg.append(defs);
  for (const edge of layout.edges) {
    const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
    svg.append(el('svg:path', { class: 'edge', d, 'marker-end': 'url(#arrow)' }));
    if (edge.arm !== undefined && edge.points.length > 1) {
      const middle = edge.points[Math.floor(edge.points.length / 2)];
      svg.append(el('svg:text', { class: 'arm', x: middle.x + 4, y: middle.y - 4 }, edge.arm));
    }
  }
  for (const node of layout.nodes) {
    const left = node.x - node.width / 2;
    const top = node.y - node.height / 2;
    const group = el('svg:g', { class: `node ${node.type}`, 'data-operation': node.name, tabindex: '0', role: 'button' });
    group.append(el('svg:rect', { x: left, y: top, width: node.width, height: node.height }));
    group.append(el('svg:text', { class: 'name', x: left + 10, y: top + 18 }, node.name));
    group.append(el('svg:text', { class: 'kind', x: left + 10, y: top + 33 }, node.module ? `${node.type}: ${node.module}` : node.type));
    const counts = el('svg:text', { class: 'counts', x: left + 10, y: top + 50 }, 'in 0 · out 0');
    const latency = el('svg:text', { class: 'latency', x: left + 10, y: top + 65 }, '');
    group.append(counts, latency);
    group.addEventListener('click', () => select(node.name));
    group.addEventListener('keydown', (event) => event.key === 'Enter' && select(node.name));
    svg.append(group);
    nodes.set(node.name, { group, counts, latency });
    $('log-operation').append(el('option', { value: node.name }, node.name));
  }
}

function showFigures(figures) {
  let totalIn = 0;
  let totalOut = 0;
  for (const f of figures) {
    const node = nodes.get(f.operation);
    if (!node) continue;
    if (f.type === 'source') totalIn += f.inRate;
    if (f.type === 'sink') totalOut += f.outRate;
    node.counts.textContent = '';
    node.counts.append(`in ${f.in} · out ${f.out}`);
    if (f.dropped > 0) node.counts.append(el('svg:tspan', {}, ` · dropped ${f.dropped}`));
    if (f.errors > 0) node.counts.append(el('svg:tspan', { class: 'bad' }, ` · errors ${f.errors}`));
    node.group.classList.toggle('failing', f.errors > 0);
    const rate = `${f.inRate}/s`;
    node.latency.textContent = f.p50Micros === null ? rate : `${rate} · p50 ${micros(f.p50Micros)} · p99 ${micros(f.p99Micros)}`;
  }
  $('totals').textContent = `${totalIn} msg/s in → ${totalOut} msg/s out`;
}

function micros(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} ms` : `${Math.round(value)} µs`;
}

function setState(state) {
  const badge = $('state');
  badge.textContent = state;
  badge.className = `state ${state}`;
}

function addLog(lines) {
  logLines.push(...lines);
  logLines.splice(0, Math.max(0, logLines.length - LOG_SHOWN));
  showLog();
}

function showLog() {
  const minimum = LEVELS.indexOf($('log-level').value);
  const operation = $('log-operation').value;
  const text = $('log-text').value.toLowerCase();
  const body = $('log').tBodies[0];
  body.textContent = '';
  const shown = logLines.filter(
    (line) =>
      LEVELS.indexOf(line.level) >= minimum && (operation === '' || line.operation === operation) && (text === '' || line.message.toLowerCase().includes(text)),
  );
  for (const line of shown.slice(-200).reverse()) {
    body.append(
      el(
        'tr',
        { class: 'log-line' },
        el('td', { class: 'mono' }, line.time.slice(11, 23)),
        el('td', { class: `level-${line.level}` }, line.level),
        el('td', {}, line.operation),
        el('td', {}, line.message),
      ),
    );
  }
}

async function select(operation) {
  selected = operation;
  for (const [name, node] of nodes) node.group.classList.toggle('selected', name === operation);
  $('inspected').textContent = `: ${operation}`;
  await showInspector();
}

async function showInspector() {
  if (selected === undefined) return;
  const asked = ++inspectorAsked;
  const answer = await getJson(`/api/operations/${encodeURIComponent(selected)}`);
  if (asked !== inspectorAsked) return;
  const body = $('inspector-body');
  body.className = '';
  body.dataset.operation = selected;
  body.dataset.tab = inspectorTab;
  body.textContent = '';
  const tabs = el('div', { class: 'tabs' });
  for (const tab of ['in', 'out']) {
    const button = el('button', { class: tab === inspectorTab ? 'active' : '', 'data-tab': tab }, `last ${tab} (${answer[tab].length})`);
    button.addEventListener('click', () => {
      inspectorTab = tab;
      void showInspector();
    });
    tabs.append(button);
  }
  const refresh = el('button', {}, 'refresh');
  refresh.addEventListener('click', () => void showInspector());
  tabs.append(refresh);
  body.append(tabs);
  const seen = answer[inspectorTab];
  if (seen.length === 0) body.append(el('p', { class: 'empty' }, `No message ${inspectorTab === 'in' ? 'has arrived' : 'has left'} yet.`));
  for (const entry of seen) body.append(messageView(entry));
}

function messageView(entry) {
  const { item } = entry;
  const box = el('div', { class: 'message' });
  const where = [entry.from ? `from ${entry.from}` : '', entry.arm ? `arm ${entry.arm}` : '', item.topic ? `topic ${item.topic}` : '']
    .filter(Boolean)
    .join(' · ');
  box.append(el('div', { class: 'meta' }, `${entry.at.slice(11, 23)} · __ts ${item.ts}${where ? ` · ${where}` : ''}`));
  box.append(el('pre', { class: 'payload' }, payloadText(item)));
  const properties = [...item.userProperties.map(([k, v]) => `${k}=${v}`), ...Object.entries(item.properties ?? {}).map(([k, v]) => `${k}: ${v}`)];
  if (item.contentType) properties.unshift(`content-type: ${item.contentType}`);
  if (properties.length > 0) box.append(el('div', { class: 'meta' }, properties.join(' · ')));
  if (entry.journey) {
    const steps = el('ol', { class: 'journey' });
    for (const step of entry.journey.steps) {
      const detail = [step.arm && `arm ${step.arm}`, step.at && `at ${step.at}`, step.reason, step.micros !== undefined && `${step.micros} µs`]
        .filter(Boolean)
        .join(', ');
      steps.append(el('li', { class: step.outcome }, `${step.operation}: ${step.outcome}${detail ? ` (${detail})` : ''}`));
    }
    box.append(el('div', { class: 'meta' }, `journey #${entry.journey.seq} of ${entry.journey.input}`), steps);
  }
  return box;
}

function payloadText(item) {
  if (item.encoding === 'base64') return `(${item.bytes} bytes, base64) ${item.payload}`;
  let text = item.payload;
  try {
    text = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as it is
  }
  return item.truncated ? `${text}… (${item.bytes} bytes in all)` : text;
}

async function showStateStore() {
  const response = await fetch('/api/state-store');
  if (!response.ok) return;
  const answer = await response.json();
  $('state-count').textContent = `(${answer.keys} key${answer.keys === 1 ? '' : 's'})`;
  const body = $('state-store').tBodies[0];
  body.textContent = '';
  for (const { key, value } of answer.entries) body.append(el('tr', {}, el('td', { class: 'mono' }, key), el('td', { class: 'mono' }, value)));
}

function listen() {
  const events = new EventSource('/api/events');
  let lost = false;
  // The stream comes back after aio emulate --watch restarted the run, perhaps with another graph: start afresh.
  events.addEventListener('open', () => lost && location.reload());
  events.addEventListener('stats', (event) => showFigures(JSON.parse(event.data)));
  events.addEventListener('log', (event) => addLog(JSON.parse(event.data)));
  events.addEventListener('state', (event) => setState(JSON.parse(event.data).state));
  events.addEventListener('error', () => {
    lost = true;
    setState('disconnected');
  });
}

async function start() {
  drawGraph(await getJson('/api/graph'));
  for (const id of ['log-level', 'log-operation', 'log-text']) $(id).addEventListener('input', showLog);
  listen();
  setInterval(() => void showStateStore(), STATE_EVERY_MS);
  void showStateStore();
}

void start();
