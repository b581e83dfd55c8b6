import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/**
 * Stand-ins for programs aio runs as child processes, written as shell scripts into `<dir>/bin`: the Azure CLI
 * (which @azure/identity's AzureCliCredential calls) and a Docker credential helper. Returns the PATH to use.
 */
export async function fakeToolsPath(dir: string, tools: { azToken?: string | null; credentialHelper?: { name: string; store: string } }): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  if (tools.azToken !== undefined) {
    const script =
      tools.azToken === null
        ? `#!/bin/sh\necho "ERROR: Please run 'az login' to setup account." >&2\nexit 1\n`
        : `#!/bin/sh\necho '{"accessToken":"${tools.azToken}","expiresOn":"2099-01-01 00:00:00.000000","expires_on":4070908800,"subscription":"sub","tenant":"tenant","tokenType":"Bearer"}'\n`;
    await writeExecutable(join(bin, 'az'), script);
  }
  if (tools.credentialHelper !== undefined) {
    // The docker-credential-helpers protocol: `store` reads {ServerURL,Username,Secret}; `get` reads a host and
    // prints them, or fails with "credentials not found".
    const store = tools.credentialHelper.store;
    await writeExecutable(
      join(bin, `docker-credential-${tools.credentialHelper.name}`),
      `#!/bin/sh\ncase "$1" in\n  store) cat > '${store}' ;;\n  get) cat > /dev/null; if [ -f '${store}' ]; then cat '${store}'; else echo "credentials not found in native keychain"; exit 1; fi ;;\n  *) exit 1 ;;\nesac\n`,
    );
  }
  return `${bin}${delimiter}${process.env['PATH'] ?? ''}`;
}

async function writeExecutable(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o755);
}
