import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export interface PendingOutput {
  path: string;
  bytes: Uint8Array;
}

/**
 * Writes finished outputs. Each goes to a temporary file beside its target and is renamed into
 * place, so a reader never sees half a file and a failed build keeps the previous good one.
 */
export async function writeOutputs(outputs: PendingOutput[]): Promise<void> {
  for (const output of outputs) {
    await mkdir(path.dirname(output.path), { recursive: true });
    await writeFileAtomic(output.path, Buffer.from(output.bytes.buffer, output.bytes.byteOffset, output.bytes.byteLength));
  }
}
