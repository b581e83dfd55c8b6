import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseChallenge, redact } from '../../src/registry/auth.js';
import { nextLink } from '../../src/registry/oci-client.js';
import { parseReference } from '../../src/registry/reference.js';
import { AioError } from '../../src/errors.js';

describe('registry protocol details', () => {
  it('parses references with ports, nested repositories, tags and digests', () => {
    assert.deepEqual(parseReference('127.0.0.1:5000/azure-samples/temperature:1.0.0'), {
      registry: '127.0.0.1:5000',
      repository: 'azure-samples/temperature',
      tag: '1.0.0',
      digest: undefined,
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    assert.deepEqual(parseReference(`myacr.azurecr.io/m@${digest}`), { registry: 'myacr.azurecr.io', repository: 'm', tag: undefined, digest });
    assert.equal(parseReference('localhost/m:latest').registry, 'localhost');
  });

  it('refuses references without a registry host or with bad parts, with a hint', () => {
    for (const bad of ['temperature:1.0.0', 'myacr.azurecr.io/Upper:1', 'myacr.azurecr.io/m:bad tag', 'myacr.azurecr.io/m@sha256:short']) {
      assert.throws(
        () => parseReference(bad),
        (e: unknown) => e instanceof AioError && e.code === 'AIO_REGISTRY_BAD_REFERENCE' && (e.hint ?? '').includes('<registry>/<repository>:<tag>'),
        bad,
      );
    }
    assert.throws(() => parseReference('r.io/m', { requireTagOrDigest: true }), /no :tag or @digest/);
  });

  it('parses Bearer and Basic challenges, quoted commas included', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
    assert.equal(parseChallenge('Negotiate abc'), undefined);
    assert.equal(parseChallenge(null), undefined);
  });

  it('follows Link headers to the next page', () => {
    assert.equal(nextLink('</v2/m/tags/list?n=2&last=b>; rel="next"'), '/v2/m/tags/list?n=2&last=b');
    assert.equal(nextLink(null), undefined);
    assert.equal(nextLink('</x>; rel="prev"'), undefined);
  });

  it('redacts secrets from text that may reach a user', () => {
    const text = redact('Authorization: Bearer eyJhbGciOi.x.y and {"access_token":"abc123","refresh_token":"def"} https://user:pw@host/x');
    for (const secret of ['eyJhbGciOi', 'abc123', '"def"', 'user:pw']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  });
});
