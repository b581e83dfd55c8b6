/**
 * #30.3: the dashboard and /metrics server answers only requests whose Host names it as a local page would. A
 * public name that begins like a loopback address (`127.0.0.1.nip.io`, `127.evil.example`) is DNS rebinding and is
 * refused; a malformed percent-encoding is the client's mistake (400), and only after the Host check.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { before, describe, it } from 'node:test';
import { useSharedCache } from '../helpers/components.js';
import { startEmulator } from '../helpers/emulator-process.js';
import { withTempDir } from '../helpers/temp-dir.js';
import { MODULES, hostileWorkspace, peakMiBOf } from './hostile-workspace.js';

function get(url: URL, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) =>
    request({ host: url.hostname, port: url.port, path, headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
      // The live feed never ends: its status is all this test needs.
      if (path === '/api/events') {
        response.destroy();
        resolve({ status: response.statusCode!, body });
      }
    })
      .on('error', reject)
      .setTimeout(10_000, () => reject(new Error(`no answer for ${path} with Host ${host}`)))
      .end(),
  );
}

describe('the run server under DNS rebinding', () => {
  before(() => useSharedCache());

  it('refuses Host names that only begin like loopback, accepts literal loopback, localhost and its own address, answers bad encoding 400', async () => {
    await withTempDir(async (dir) => {
      const graph = await hostileWorkspace(dir);
      const emulator = await startEmulator([graph, '--port', '0', '--modules', MODULES, '--ui', '127.0.0.1:0']);
      try {
        const url = new URL(/^ui: (\S+)/m.exec(emulator.stderr())![1]!);
        const port = url.port;
        const started = Date.now();
        for (const host of ['127.evil.example', `127.0.0.1.nip.io:${port}`, '127.0.0.1.nip.io', 'attacker.example']) {
          for (const path of ['/api/operations/m%2Fmap', '/api/events', '/metrics', '/api/graph']) {
            const answer = await get(url, path, host);
            assert.equal(answer.status, 403, `Host "${host}" ${path}: ${answer.status} ${answer.body}`);
          }
        }
        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'LOCALHOST', `127.3.2.1:${port}`, `[::1]:${port}`]) {
          const answer = await get(url, '/api/operations/m%2Fmap', host);
          assert.ok(answer.status === 200 || answer.status === 503, `Host "${host}": ${answer.status} ${answer.body}`);
        }
        // Malformed percent-encoding: 400 for a local page, and a foreign page learns nothing more than 403.
        assert.equal((await get(url, '/api/operations/%E0%A4%A', `127.0.0.1:${port}`)).status, 400);
        assert.equal((await get(url, '/%zz', `127.0.0.1:${port}`)).status, 400);
        assert.equal((await get(url, '/%zz', '127.evil.example')).status, 403);
        assert.ok(Date.now() - started < 20_000, `the requests took ${Date.now() - started} ms`);
        assert.ok(peakMiBOf(emulator.pid) < 400, `peak memory ${peakMiBOf(emulator.pid)} MiB`);
      } finally {
        const stopped = await emulator.interrupt();
        assert.equal(stopped.code, 0, stopped.stderr);
      }
    });
  });
});
