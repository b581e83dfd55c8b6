import { Flags } from '@oclif/core';
import { AioError } from '../errors.js';
import { moduleRegistryAt, type ModuleRegistry } from '../run/resolve-module.js';
import { isRegistryHost } from '../registry/reference.js';
import { registryHostOf } from '../util/registry-host.js';

/** `--registry`: where `aio emulate` and `aio test` pull modules missing from the workspace. */
export const moduleRegistryFlag = Flags.string({
  env: 'AIO_REGISTRY',
  description: 'pull modules not found locally from this registry host, as the cluster does (http://host:port for a registry without TLS)',
});

/** `myacr.azurecr.io` → TLS; `http://127.0.0.1:5000` → plain HTTP. Credentials as for `aio registry`. */
export function moduleRegistry(value: string | undefined): ModuleRegistry | undefined {
  if (value === undefined || value === '') return undefined;
  const plainHttp = value.startsWith('http://');
  const host = registryHostOf(value);
  if (!isRegistryHost(host) || host.includes('/')) {
    throw new AioError('AIO_REGISTRY_BAD_HOST', `--registry ${value} is not a registry host`, {
      hint: 'give a host[:port], e.g. myacr.azurecr.io, or http://127.0.0.1:5000 for a local registry',
    });
  }
  return moduleRegistryAt(host, plainHttp);
}
