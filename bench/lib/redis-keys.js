'use strict';
// Deletes the benchmark's Redis keys with SCAN + DEL, pattern by pattern. Never FLUSHALL/FLUSHDB:
// the Redis is shared with other installations and developers.

/** Deletes every key matching `pattern`; returns how many were deleted. */
async function deleteMatching(redis, pattern) {
  if (!/^[A-Za-z0-9:_-]+:\*$/.test(pattern)) throw new Error(`Refusing to delete keys matching ${pattern}`);
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    for (let i = 0; i < keys.length; i += 500) deleted += await redis.del(...keys.slice(i, i + 500));
  } while (cursor !== '0');
  return deleted;
}

async function deletePrefixes(redis, prefixes) {
  const out = {};
  for (const prefix of prefixes) out[prefix] = await deleteMatching(redis, `${prefix}:*`);
  return out;
}

module.exports = { deleteMatching, deletePrefixes };
