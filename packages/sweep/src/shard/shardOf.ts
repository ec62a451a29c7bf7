import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { CAPTURES_DIR } from '@mtl-fd/capture';

/**
 * A capture's identity for sharding: `<run dir name>/<file name>` for a capture in a
 * run's captures/ directory, else its file name. It does not depend on where the
 * sweep is mounted nor on which other runs the sweep holds.
 */
export function captureIdentity(file: string): string {
  const dir = dirname(resolve(file));
  if (basename(dir) === CAPTURES_DIR) return `${basename(dirname(dir))}/${basename(file)}`;
  return basename(file);
}

/**
 * The shard (1-based, of `count`) an identity belongs to: the first 32 bits of its
 * SHA-256, modulo `count`. Stable: adding runs to a sweep moves no existing capture.
 */
export function shardOf(identity: string, count: number): number {
  const digest = createHash('sha256').update(identity).digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** SHA-256 (hex) of a list of identities in order, one a line. */
export function identityListHash(identities: readonly string[]): string {
  return createHash('sha256').update(identities.join('\n')).digest('hex');
}
