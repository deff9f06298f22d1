import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm, rmdir, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { GalleyError } from '../errors.js';

export interface PendingOutput {
  path: string;
  bytes: Uint8Array;
}

interface StagedOutput {
  target: string;
  temporary: string;
}

/**
 * Writes a document's outputs all together or not at all. Each goes to a temporary file beside its
 * target, written whole, synced and closed; only when every one of them is, are they renamed into
 * place, in the order given (put the manifest last: a commit cut short is then rebuilt next time),
 * and their folders synced. On any failure the temporary files are removed, the folders this
 * commit created are removed again, and what was there before is left as it was.
 */
export async function commitOutputs(outputs: PendingOutput[]): Promise<void> {
  const folders: PreparedFolder[] = [];
  const staged: StagedOutput[] = [];
  try {
    for (const output of outputs) {
      folders.push(await prepareFolder(output.path));
      const temporary = temporaryName(output.path);
      staged.push({ target: output.path, temporary });
      await writeWhole(temporary, output.bytes).catch((error: unknown) => {
        throw writeProblem(error, output.path);
      });
    }
    for (const { target, temporary } of staged) {
      await rename(temporary, target).catch((error: unknown) => {
        throw writeProblem(error, target);
      });
    }
  } catch (error) {
    await Promise.all(staged.map(({ temporary }) => rm(temporary, { force: true }).catch(() => undefined)));
    for (const folder of folders) for (const created of createdChain(folder)) await rmdir(created).catch(() => undefined);
    throw error;
  }
  await syncFolders(folders);
}

interface PreparedFolder {
  folder: string;
  /** The topmost folder this commit had to create on the way to `folder`, if any. */
  createdTop: string | undefined;
}

async function prepareFolder(target: string): Promise<PreparedFolder> {
  try {
    const folder = path.dirname(target);
    const createdTop = await mkdir(folder, { recursive: true });
    const existing = await lstat(target).catch(() => undefined);
    if (existing?.isDirectory()) throw new GalleyError(`cannot write ${target}: a folder of that name is in the way`);
    return { folder, createdTop: createdTop && path.resolve(createdTop) };
  } catch (error) {
    throw writeProblem(error, target);
  }
}

/** The folders created on the way to `folder`, deepest first. */
function createdChain({ folder, createdTop }: PreparedFolder): string[] {
  if (!createdTop) return [];
  const chain: string[] = [];
  for (let current = path.resolve(folder); current !== path.dirname(current); current = path.dirname(current)) {
    chain.push(current);
    if (current === createdTop) return chain;
  }
  return [];
}

function temporaryName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
}

async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await writeEveryByte(handle, bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  await handle.close();
}

/** One write(2) may take fewer bytes than it was given (a full disk does that): write on until all are taken. */
async function writeEveryByte(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.byteLength - offset, offset);
    // A regular file that takes no bytes without an error has no room left for them.
    if (bytesWritten <= 0) throw Object.assign(new Error(`wrote ${offset} of ${bytes.byteLength} bytes, then none`), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

/** Syncs each folder that got a new name, and the parent of each folder that was created, so that the renames last. */
async function syncFolders(folders: PreparedFolder[]): Promise<void> {
  const toSync = new Set<string>();
  for (const prepared of folders) {
    toSync.add(path.resolve(prepared.folder));
    for (const created of createdChain(prepared)) toSync.add(path.dirname(created));
  }
  for (const folder of toSync) {
    const handle = await open(folder, 'r');
    try {
      await handle.sync().catch((error: NodeJS.ErrnoException) => {
        // Some file systems cannot sync a folder; the files in it are synced already.
        if (!['EINVAL', 'ENOTSUP', 'EISDIR'].includes(error.code ?? '')) throw error;
      });
    } finally {
      await handle.close();
    }
  }
}

const WRITE_PROBLEMS: Record<string, (folder: string) => string> = {
  ENOSPC: (folder) => `no space left on the device holding ${folder}`,
  EDQUOT: (folder) => `the disk quota for ${folder} is used up`,
  EROFS: (folder) => `${folder} is on a read-only file system`,
  EACCES: (folder) => `no permission to write in ${folder}`,
  EPERM: (folder) => `no permission to write in ${folder}`,
  ENOTDIR: (folder) => `a file is in the way of the folder ${folder}`,
  EEXIST: (folder) => `a file is in the way of the folder ${folder}`,
};

/** A file system error met while writing `target`, as one line that names the folder; other errors pass as they are. */
export function writeProblem(error: unknown, target: string): unknown {
  if (error instanceof GalleyError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const explain = code ? WRITE_PROBLEMS[code] : undefined;
  if (!explain) return error;
  return new GalleyError(`cannot write ${target}: ${explain(`${path.dirname(target)}${path.sep}`)}`);
}
