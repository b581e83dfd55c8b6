import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A self-signed certificate for 127.0.0.1 (openssl), for local HTTPS servers; `caFile` is what clients trust. */
export async function selfSignedCert(dir: string, name: string): Promise<{ key: Buffer; cert: Buffer; caFile: string; keyFile: string }> {
  const keyFile = join(dir, `${name}-key.pem`);
  const caFile = join(dir, `${name}-cert.pem`);
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    caFile,
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]);
  return { key: await readFile(keyFile), cert: await readFile(caFile), caFile, keyFile };
}
