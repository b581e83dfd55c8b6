/** A real small disk for the full-disk tests: a tmpfs of its own, mounted for one test and removed after it. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rmdir, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Mounts a tmpfs of `kib` KiB (this needs root, as CI runs), hands its path to `use`, then unmounts it. */
export async function withSmallDisk<T>(kib: number, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'aio-small-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k,mode=0755`, 'tmpfs', dir]);
  try {
    return await use(dir);
  } finally {
    execFileSync('umount', [dir]);
    await rmdir(dir);
  }
}

/** Fills the disk under `dir` until only about `leaveKiB` KiB are free. */
export async function fillDisk(dir: string, leaveKiB: number): Promise<void> {
  const info = await statfs(dir);
  const free = info.bavail * info.bsize;
  await writeFile(join(dir, 'filler'), Buffer.alloc(Math.max(0, free - leaveKiB * 1024)));
}
