import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAuthProxy, type AuthProxy } from '../helpers/auth-proxy.js';
import { looksLikeStackTrace, runCli } from '../helpers/cli.js';
import { fakeToolsPath } from '../helpers/fake-tools.js';
import { startRegistry, type LocalRegistry } from '../helpers/registry.js';
import { withTempDir } from '../helpers/temp-dir.js';

const WASM = Buffer.concat([Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), Buffer.alloc(500, 7)]);
const SECRETS = ['entra-tok-xyz', 'acr-refresh-42', 'acr-access-99', 's3cret-basic'];

function assertNoSecrets(text: string): void {
  for (const secret of SECRETS) assert.ok(!text.includes(secret), `output leaks ${secret}`);
}

/** Environment for a child aio with nothing signed in but what the test gives it. */
function cleanEnv(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { DOCKER_CONFIG: dir, AIO_REGISTRY_USERNAME: undefined, AIO_REGISTRY_PASSWORD: undefined, AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential', ...extra };
}

describe('signing in to registries: ACR token exchange, aio registry login, credential helpers', () => {
  let registry: LocalRegistry;
  let acr: AuthProxy;
  let basic: AuthProxy;
  before(async () => {
    registry = await startRegistry();
    acr = await startAuthProxy(registry.host, { mode: { kind: 'acr', entraToken: 'entra-tok-xyz', refreshToken: 'acr-refresh-42', token: 'acr-access-99' } });
    basic = await startAuthProxy(registry.host, { mode: { kind: 'basic', username: 'alice', password: 's3cret-basic' } });
  });
  after(async () => {
    await Promise.all([acr.stop(), basic.stop()]);
    await registry.stop();
  });

  it('pushes to an ACR-protocol registry with the Azure CLI sign-in through DefaultAzureCredential and /oauth2/exchange', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'm.wasm'), WASM);
      const env = cleanEnv(dir, { PATH: await fakeToolsPath(dir, { azToken: 'entra-tok-xyz' }), AZURE_TENANT_ID: 'tenant-1' });
      const r = await runCli(['registry', 'push', `${acr.host}/acr/m:1`, join(dir, 'm.wasm'), '--plain-http', '--json'], { env });
      assert.equal(r.code, 0, r.stderr);
      const exchange = acr.forms.find((f) => f.path === '/oauth2/exchange');
      assert.deepEqual(exchange?.form, { grant_type: 'access_token', service: acr.host, access_token: 'entra-tok-xyz', tenant: 'tenant-1' });
      const grant = acr.forms.find((f) => f.path === '/oauth2/token');
      assert.equal(grant?.form['grant_type'], 'refresh_token');
      assert.equal(grant?.form['scope'], 'repository:acr/m:pull,push');
      assert.ok(acr.authorizations.includes('Bearer acr-access-99'));
      assertNoSecrets(r.stdout + r.stderr);
    });
  });

  it('without an Azure sign-in, says how to sign in (exit 4, no stack trace)', async () => {
    await withTempDir(async (dir) => {
      const env = cleanEnv(dir, { PATH: await fakeToolsPath(dir, { azToken: null }) });
      const r = await runCli(['registry', 'tags', `${acr.host}/acr/m`, '--plain-http'], { env });
      assert.equal(r.code, 4);
      assert.match(r.stderr, /AIO_REGISTRY_UNAUTHORIZED/);
      assert.ok(!looksLikeStackTrace(r.stderr));
    });
  });

  it('aio registry login --azure stores an identity token that later commands use without Azure', async () => {
    await withTempDir(async (dir) => {
      const login = await runCli(['registry', 'login', acr.host, '--azure', '--plain-http', '--json'], {
        env: cleanEnv(dir, { PATH: await fakeToolsPath(dir, { azToken: 'entra-tok-xyz' }) }),
      });
      assert.equal(login.code, 0, login.stderr);
      assert.equal((JSON.parse(login.stdout) as { method: string; storedIn: string }).storedIn, 'config');
      assertNoSecrets(login.stdout + login.stderr);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { auths: Record<string, { identitytoken?: string }> };
      assert.equal(config.auths[acr.host]?.identitytoken, 'acr-refresh-42');

      const before = acr.forms.length;
      const tags = await runCli(['registry', 'tags', `${acr.host}/acr/m`, '--plain-http'], {
        env: cleanEnv(dir, { PATH: await fakeToolsPath(join(dir, 'no-az'), { azToken: null }) }),
      });
      assert.equal(tags.code, 0, tags.stderr);
      assert.match(tags.stdout, /^1$/m);
      assert.ok(
        acr.forms.slice(before).every((f) => f.path === '/oauth2/token'),
        'the stored refresh token was used, no new exchange',
      );
    });
  });

  it('aio registry login checks the password first, then stores it as docker login does', async () => {
    await withTempDir(async (dir) => {
      const wrong = await runCli(['registry', 'login', basic.host, '-u', 'alice', '--password-stdin', '--plain-http'], { env: cleanEnv(dir), input: 'nope\n' });
      assert.equal(wrong.code, 4);
      assert.match(wrong.stderr, /AIO_REGISTRY_DENIED/);
      await assert.rejects(readFile(join(dir, 'config.json')), 'nothing stored after a refused login');

      const ok = await runCli(['registry', 'login', basic.host, '-u', 'alice', '--password-stdin', '--plain-http'], {
        env: cleanEnv(dir),
        input: 's3cret-basic\n',
      });
      assert.equal(ok.code, 0, ok.stderr);
      assertNoSecrets(ok.stdout + ok.stderr);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { auths: Record<string, { auth: string }> };
      assert.equal(Buffer.from(config.auths[basic.host]!.auth, 'base64').toString(), 'alice:s3cret-basic');

      const tags = await runCli(['registry', 'tags', `${basic.host}/acr/m`, '--plain-http'], { env: cleanEnv(dir) });
      assert.equal(tags.code, 0, tags.stderr);
    });
  });

  it('stores to and reads from a Docker credential helper (credsStore)', async () => {
    await withTempDir(async (dir) => {
      const store = join(dir, 'helper-store.json');
      const path = await fakeToolsPath(dir, { credentialHelper: { name: 'aiotest', store } });
      await writeFile(join(dir, 'config.json'), JSON.stringify({ credsStore: 'aiotest' }));
      const login = await runCli(['registry', 'login', basic.host, '-u', 'alice', '--password-stdin', '--plain-http', '--json'], {
        env: cleanEnv(dir, { PATH: path }),
        input: 's3cret-basic',
      });
      assert.equal(login.code, 0, login.stderr);
      assert.equal((JSON.parse(login.stdout) as { storedIn: string }).storedIn, 'helper');
      assert.deepEqual(JSON.parse(await readFile(store, 'utf8')), { ServerURL: basic.host, Username: 'alice', Secret: 's3cret-basic' });
      assert.ok(!(await readFile(join(dir, 'config.json'), 'utf8')).includes('s3cret'), 'the password went to the helper, not the file');

      const tags = await runCli(['registry', 'tags', `${basic.host}/acr/m`, '--plain-http'], { env: cleanEnv(dir, { PATH: path }) });
      assert.equal(tags.code, 0, tags.stderr);
    });
  });

  it('refuses login without a user name for a registry that is not ACR', async () => {
    const r = await runCli(['registry', 'login', basic.host, '--plain-http']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /AIO_REGISTRY_LOGIN_NO_USER[\s\S]*hint: pass -u/);
  });
});
