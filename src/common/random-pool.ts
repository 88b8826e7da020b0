import { randomBytes, randomFillSync } from 'node:crypto';

/** Bytes drawn from the CSPRNG at once: one call per this many bytes handed out, not one per request. */
const POOL_BYTES = 4096;

let pool: Buffer = Buffer.alloc(0);
let offset = 0;

/**
 * `n` bytes from the operating system's CSPRNG, as `crypto.randomBytes(n)` gives them, drawn 4 KiB
 * at a time: a signature takes three or four small values (its token's seed, an IV per sealed
 * field), and each `randomBytes` call costs a few microseconds of system call. Every byte is handed
 * out once; a refill takes a new buffer, so a view handed out is never written again. A larger
 * request goes straight to `randomBytes`.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`pooledRandomBytes: ${n} is not a byte count`);
  if (n > POOL_BYTES / 8) return randomBytes(n);
  if (offset + n > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    offset = 0;
  }
  const out = pool.subarray(offset, offset + n);
  offset += n;
  return out;
}
