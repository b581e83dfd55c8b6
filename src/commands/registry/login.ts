import { Args, Flags } from '@oclif/core';
import { AioCommand } from '../../cli/base-command.js';
import { readPassword, remoteFlags, remoteLimitsOf } from '../../cli/registry-flags.js';
import { AioError } from '../../errors.js';
import { dockerConfigPath } from '../../registry/docker-config.js';
import { defaultEntraToken } from '../../registry/entra-token.js';
import { login, loginWithAzure, type LoginResult } from '../../registry/login.js';
import { isRegistryHost } from '../../registry/reference.js';
import { isAcrHost } from '../../registry/token-service.js';
import { registryHostOf } from '../../util/registry-host.js';

export default class RegistryLogin extends AioCommand {
  static override summary = 'Sign in to a registry and store the credentials where Docker and oras find them.';
  static override description = `The registry checks the credentials first; nothing is stored unless it accepts them. They go to the Docker credential helper configured in ~/.docker/config.json (credsStore/credHelpers), else base64 in its "auths", exactly as \`docker login\` does.
For Azure Container Registry (*.azurecr.io) without --username, aio signs in with your Azure identity (az login, a service principal in AZURE_* variables, workload or managed identity), trades it for an ACR refresh token and stores that as an identity token, like \`az acr login\`. Passwords are read from stdin, never from a flag.`;

  static override examples = [
    {
      description: 'A registry with a user name and password (from a secret in a pipeline)',
      command: 'echo "$REGISTRY_PASSWORD" | <%= config.bin %> <%= command.id %> registry.example.com -u ci --password-stdin',
    },
    { description: 'Azure Container Registry with your Azure sign-in', command: '<%= config.bin %> <%= command.id %> myacr.azurecr.io' },
    {
      description: 'A local registry without TLS',
      command: 'echo secret | <%= config.bin %> <%= command.id %> 127.0.0.1:5000 -u dev --password-stdin --plain-http',
    },
  ];

  static override args = {
    registry: Args.string({ description: 'registry host[:port]', required: true }),
  };

  static override flags = {
    username: Flags.string({ char: 'u', description: 'user name; the password comes from --password-stdin or AIO_REGISTRY_PASSWORD' }),
    'password-stdin': Flags.boolean({ description: 'read the password or token from standard input' }),
    azure: Flags.boolean({ description: 'sign in with the Azure identity through ACR’s token exchange (default for *.azurecr.io without --username)' }),
    'plain-http': Flags.boolean({ description: 'talk HTTP, not HTTPS (local registries)' }),
    insecure: Flags.boolean({ description: 'do not verify the TLS certificate (self-signed local registries only)' }),
    ...remoteFlags,
  };

  async run(): Promise<LoginResult & { config: string }> {
    const { args, flags } = await this.parse(RegistryLogin);
    const registry = registryHostOf(args.registry);
    if (!isRegistryHost(registry)) {
      throw new AioError('AIO_REGISTRY_BAD_HOST', `${args.registry} is not a registry host`, {
        hint: 'give the host and optional port only, e.g. myacr.azurecr.io or 127.0.0.1:5000',
      });
    }
    const transport = { plainHttp: flags['plain-http'], insecure: flags.insecure, limits: remoteLimitsOf(flags) };
    let result: LoginResult;
    if (flags.azure || (flags.username === undefined && isAcrHost(registry))) {
      result = await loginWithAzure(registry, defaultEntraToken(), transport);
    } else {
      if (flags.username === undefined) {
        throw new AioError('AIO_REGISTRY_LOGIN_NO_USER', `no user name given for ${registry}`, {
          hint: `pass -u <user> and the password on stdin: echo "$PASSWORD" | aio registry login ${registry} -u <user> --password-stdin`,
        });
      }
      const password = await readPassword(flags['password-stdin']);
      if (password === undefined || password === '') {
        throw new AioError('AIO_REGISTRY_LOGIN_NO_PASSWORD', `no password given for ${flags.username}@${registry}`, {
          hint: 'pipe it in with --password-stdin, or set AIO_REGISTRY_PASSWORD',
        });
      }
      result = await login(registry, { username: flags.username, password }, transport);
    }
    const where = result.storedIn === 'helper' ? 'the Docker credential helper' : dockerConfigPath();
    this.log(`Login succeeded for ${registry} (${result.method === 'azure' ? 'Azure identity' : 'user name and password'}); credentials stored in ${where}`);
    return { ...result, config: dockerConfigPath() };
  }
}
