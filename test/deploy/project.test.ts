import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { copyExample } from '../helpers/examples.js';
import { withTempDir } from '../helpers/temp-dir.js';

const PROJECT = `graphs:
  thermostat: { file: graph.dataflow.yaml, artifact: "thermostat-graph:1.0.0" }
environments:
  dev:
    target: kubernetes
    registry:
      host: \${DEV_REGISTRY}
      endpoint: dev-registry
      auth: { method: ArtifactPullSecret, secretRef: "\${PULL_SECRET}" }
    configuration:
      api_token: "\${SERVICE_TOKEN}"
`;

describe('aio.yaml: interpolation, .env, masking, positioned diagnostics', () => {
  it('fills ${VAR} from the environment and .env, and masks secrets in aio env show', async () => {
    await withTempDir(async (dir) => {
      await copyExample('thermostat', dir);
      await writeFile(join(dir, 'aio.yaml'), PROJECT);
      await writeFile(join(dir, '.env'), 'DEV_REGISTRY=dev.azurecr.io\nPULL_SECRET="acr-pull-secret"\n# comment\nexport SERVICE_TOKEN=tok-very-secret\n');
      const r = await runCli(['env', 'show', '--json'], { cwd: dir, env: { AIO_ENV: undefined, DEV_REGISTRY: undefined } });
      assert.equal(r.code, 0, r.stderr);
      const view = JSON.parse(r.stdout) as { registry: { host: string; auth: { secretRef: string } }; configuration: Record<string, string> };
      assert.equal(view.registry.host, 'dev.azurecr.io');
      assert.equal(view.registry.auth.secretRef, '***');
      assert.equal(view.configuration['api_token'], '***');
      const text = await runCli(['env', 'show'], { cwd: dir, env: { AIO_ENV: undefined } });
      assert.ok(!(text.stdout + r.stdout).includes('tok-very-secret') && !(text.stdout + r.stdout).includes('acr-pull-secret'));
    });
  });

  it('reports an unset variable and an unknown key at their line:column, all at once', async () => {
    await withTempDir(async (dir) => {
      await copyExample('thermostat', dir);
      await writeFile(join(dir, 'aio.yaml'), PROJECT.replace('    target: kubernetes', '    target: kubernetes\n    regsitry: {}'));
      const r = await runCli(['env', 'list'], { cwd: dir, env: { DEV_REGISTRY: undefined, PULL_SECRET: 'x', SERVICE_TOKEN: 'y' } });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /aio\.yaml:8:13: error AIO_PROJECT_VAR_UNSET: \$\{DEV_REGISTRY\} is not set/);
      assert.match(r.stderr, /aio\.yaml:6:5: error AIO_SCHEMA_UNKNOWN_KEY: unknown key "regsitry"[^\n]*registry/);
      assert.ok(!looksLikeStackTrace(r.stderr));
    });
  });

  it('says when no aio.yaml is found', async () => {
    await withTempDir(async (dir) => {
      const r = await runCli(['env', 'list'], { cwd: dir });
      assert.equal(r.code, 3);
      assert.match(r.stderr, /AIO_PROJECT_NOT_FOUND/);
    });
  });
});
