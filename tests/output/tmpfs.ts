import { execFile } from 'node:child_process';
import { mkdir, statfs, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Tmpfs {
  dir: string;
  remountReadOnly(): Promise<void>;
  unmount(): Promise<void>;
}

/**
 * Mounts a small tmpfs at `dir` (created if need be), for tests of full and read-only disks.
 * Returns why it could not instead: mounting needs root.
 */
export async function mountTmpfs(dir: string, options: string): Promise<Tmpfs | string> {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root';
  await mkdir(dir, { recursive: true });
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  } catch (error) {
    return `mount -t tmpfs -o ${options} failed: ${(error as { stderr?: string }).stderr?.trim() || String(error)}`;
  }
  let mounted = true;
  return {
    dir,
    remountReadOnly: async () => void (await run('mount', ['-o', 'remount,ro', dir])),
    unmount: async () => {
      if (mounted) await run('umount', [dir]);
      mounted = false;
    },
  };
}

/** Fills the file system holding `dir` until `leave` bytes are free. */
export async function fillDisk(dir: string, file: string, leave: number): Promise<void> {
  const { bavail, bsize } = await statfs(dir);
  await writeFile(file, Buffer.alloc(Math.max(0, bavail * bsize - leave)));
}
