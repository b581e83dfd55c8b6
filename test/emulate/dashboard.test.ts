/**
 * `aio emulate --ui` in a real headless Chromium: the graph is drawn, counts move while messages are published,
 * clicking an operation shows its last messages with their journeys, the log and the state store show. The
 * screenshot is kept in test-artifacts/dashboard.png.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { useSharedCache } from '../helpers/components.js';
import { browserMissing, launchChromium } from '../helpers/browser.js';
import { itWithTool } from '../helpers/needs-tool.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { copyExample, eventually } from '../helpers/examples.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { repoRoot } from '../helpers/paths.js';
import { withTempDir } from '../helpers/temp-dir.js';

/** The page's document, inside functions that run in the browser (the tests compile without the DOM's types). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const MAP = 'module-thermostat/map';
const FILTER = 'module-thermostat/filter';

describe('aio emulate --ui', () => {
  before(() => useSharedCache());

  itWithTool('draws the graph, updates counts live, and shows an operation’s last messages when clicked', browserMissing(), async () => {
    await withTempDir(async (dir) => {
      const ws = await copyExample('thermostat', dir);
      await writeFile(join(ws, 'statestore.json'), JSON.stringify([{ factoryId: 'factoryA' }]));
      // A bare --ui: the default address, a free port on 127.0.0.1.
      const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--port', '0', '--ui', '--json']);
      const url = /^ui: (\S+)/m.exec(emulator.stderr())?.[1];
      assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/, emulator.stderr());
      const browser = await launchChromium();
      const pub = await mqtt.connectAsync(emulator.brokerUrl, { protocolVersion: 5 });
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(url!);

        // The graph is drawn: one box per operation, the branch's arms labelled.
        await page.locator('g.node').nth(7).waitFor();
        assert.equal(await page.locator('g.node').count(), 8);
        assert.deepEqual((await page.locator('text.arm').allTextContents()).sort(), ['False', 'True']);
        await page.waitForFunction(() => document.querySelector('#state')?.textContent === 'running');
        const counts = (operation: string) => page.locator(`g.node[data-operation="${operation}"] text.counts`).textContent();
        assert.equal(await counts(MAP), 'in 0 · out 0');

        // Counts update while messages are published: 2000 °F (1093.3 °C) is dropped by the filter, with a log line.
        for (const f of [68, 77, 86]) await pub.publishAsync('sensors/line1', JSON.stringify({ temperature: { value: f, unit: 'F' } }), { qos: 1 });
        await page.waitForFunction((op) => document.querySelector(`g.node[data-operation="${op}"] text.counts`)?.textContent === 'in 3 · out 3', MAP);
        await pub.publishAsync('sensors/line2', JSON.stringify({ temperature: { value: 2000, unit: 'F' } }), { qos: 1 });
        await page.waitForFunction(
          (op) => document.querySelector(`g.node[data-operation="${op}"] text.counts`)?.textContent === 'in 4 · out 3 · dropped 1',
          FILTER,
        );
        assert.equal(await counts(MAP), 'in 4 · out 4');
        await page.locator('#log .log-line', { hasText: 'dropped 1093.33 C' }).waitFor();

        // The log filters: warn+ hides the filter's info line.
        await page.selectOption('#log-level', 'warn');
        assert.equal(await page.locator('#log .log-line', { hasText: 'dropped 1093.33 C' }).count(), 0);
        await page.selectOption('#log-level', 'info');

        // Clicking the filter shows its last message in, newest first, with the journey that ended there.
        await page.locator(`g.node[data-operation="${FILTER}"]`).click();
        const newest = page.locator(`#inspector-body[data-operation="${FILTER}"][data-tab="in"] .message`).first();
        await newest.waitFor();
        assert.equal(await page.locator('#inspector-body .message').count(), 4);
        const text = (await newest.textContent()) ?? '';
        assert.match(text, /from module-thermostat\/map/);
        assert.match(text, /topic sensors\/line2/);
        assert.match(text, /"value": 1093\.3/, 'the map converted 2000 °F to °C before the filter');
        assert.match(text, /module-thermostat\/filter: filtered \(filtered out/);

        // The "out" tab: what the map passed on.
        await page.locator(`g.node[data-operation="${MAP}"]`).click();
        // Waiting for the map's own rendering first: a click on the tab bar still showing the filter would be lost.
        await page.locator(`#inspector-body[data-operation="${MAP}"] .tabs button[data-tab="out"]`).click();
        // The body is rebuilt at once when an answer arrives, so once it says "out" its messages are the out ones.
        const newestOut = page.locator(`#inspector-body[data-operation="${MAP}"][data-tab="out"] .message`).first();
        await newestOut.waitFor();
        assert.match((await newestOut.textContent()) ?? '', /"unit": "C"/);

        // The state store's keys.
        await page.locator('#state-store td', { hasText: 'factoryId' }).waitFor();
        assert.match((await page.locator('#state-store').textContent()) ?? '', /factoryId\s*factoryA/);

        const artifacts = join(repoRoot, 'test-artifacts');
        await mkdir(artifacts, { recursive: true });
        await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
        assert.deepEqual(pageErrors, []);

        // The same server serves /metrics beside the page; anything else is a 404.
        assert.match(await (await fetch(new URL('metrics', url))).text(), /aio_operation_messages_in_total\{operation="module-thermostat\/map",type="map"\} 4/);
        assert.equal((await fetch(new URL('api/operations/nope', url))).status, 404);
      } finally {
        await pub.endAsync();
        await browser.close();
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    });
  });

  it('answers the inspector and the state store on an external broker (mosquitto), and only to local hosts', async () => {
    const mosquitto = await startMosquitto();
    try {
      await withTempDir(async (dir) => {
        const ws = await copyExample('thermostat', dir);
        await writeFile(join(ws, 'statestore.json'), JSON.stringify([{ line: 'one' }]));
        const emulator = await startEmulator([join(ws, 'graph.dataflow.yaml'), '--broker', mosquitto.url, '--ui', '127.0.0.1:0', '--client-id', 'dash-test']);
        try {
          const url = new URL(/^ui: (\S+)/m.exec(emulator.stderr())![1]!);
          const pub = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5 });
          await pub.publishAsync('sensors/x', JSON.stringify({ temperature: { value: 50, unit: 'F' } }), { qos: 1 });
          await pub.endAsync();
          let answer: { in: Array<{ item: { payload: string; topic: string }; journey?: { steps: Array<{ operation: string; outcome: string }> } }> } = {
            in: [],
          };
          await eventually(async () => {
            answer = (await (await fetch(new URL(`api/operations/${encodeURIComponent(MAP)}`, url))).json()) as typeof answer;
            return answer.in.length === 1;
          }, 'the map’s first message');
          assert.equal(answer.in[0]!.item.topic, 'sensors/x');
          assert.deepEqual(JSON.parse(answer.in[0]!.item.payload), { temperature: { value: 50, unit: 'F' } });
          assert.deepEqual(
            answer.in[0]!.journey!.steps.slice(0, 3).map((s) => [s.operation, s.outcome]),
            [
              ['source', 'passed'],
              [MAP, 'passed'],
              [FILTER, 'passed'],
            ],
          );
          const state = (await (await fetch(new URL('api/state-store', url))).json()) as { keys: number; entries: unknown[] };
          assert.deepEqual(state, { what: 'state-store', keys: 1, entries: [{ key: 'line', value: 'one' }] });

          // A page elsewhere that reaches this server through a name of its own (DNS rebinding) is refused.
          const { request } = await import('node:http');
          const status = await new Promise<number>((resolve, reject) =>
            request({ host: url.hostname, port: url.port, path: '/api/graph', headers: { host: 'attacker.example:80' } }, (response) => {
              response.resume();
              resolve(response.statusCode!);
            })
              .on('error', reject)
              .end(),
          );
          assert.equal(status, 403);
        } finally {
          const stopped = await emulator.interrupt();
          assert.equal(stopped.code, 0, stopped.stderr);
        }
      });
    } finally {
      await mosquitto.stop();
    }
  });
});
