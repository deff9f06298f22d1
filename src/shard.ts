import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Shard } from './settings/build-options.js';

/**
 * The part (from 1 to `count`) a document belongs to: a hash of its path as seen from the working
 * folder, written with `/`, so that every machine or CI job that checks out the same tree and is
 * given the same paths splits it the same way. A book is one path, so it is never split.
 */
export function shardOf(file: string, count: number): number {
  const key = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
  return (createHash('sha256').update(key).digest().readUInt32BE(0) % count) + 1;
}

/** The documents of one shard, in their order; all of them without --shard. */
export function inShard(files: string[], shard: Shard | undefined): string[] {
  return shard ? files.filter((file) => shardOf(file, shard.count) === shard.index) : files;
}
