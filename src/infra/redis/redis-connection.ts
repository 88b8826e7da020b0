import type { ConnectionOptions } from 'bullmq';
import Redis, { Cluster, type ClusterNode, type RedisOptions } from 'ioredis';
import { redisConnectionOptions } from './redis-options';

/** One Redis, or a Redis Cluster (REDIS_CLUSTER_NODES): both take the same commands and scripts. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: REDIS_URL, and REDIS_CLUSTER_NODES when it is a cluster. */
export interface RedisLocation {
  REDIS_URL: string;
  REDIS_CLUSTER_NODES?: string;
}

/** `host:port, host:port` → the nodes a cluster client starts from (`[::1]:7000` for IPv6). */
export function clusterNodes(list: string): ClusterNode[] {
  return list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.lastIndexOf(':');
      return { host: entry.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: Number(entry.slice(colon + 1)) };
    });
}

export function isCluster(where: RedisLocation): boolean {
  return Boolean(where.REDIS_CLUSTER_NODES?.trim());
}

/**
 * The one place Nida opens a Redis connection: a plain client on REDIS_URL, or, when
 * REDIS_CLUSTER_NODES is set, an ioredis Cluster started from those nodes, which takes user,
 * password and TLS from REDIS_URL (a cluster has no database number). `options` are a plain
 * client's; on a cluster, keyPrefix, enableOfflineQueue, lazyConnect and retryStrategy apply to
 * the cluster client and the others to each node's connection.
 */
export function createRedis(where: RedisLocation, options: RedisOptions = {}): RedisClient {
  const fromUrl = redisConnectionOptions(where.REDIS_URL);
  if (!isCluster(where)) return new Redis({ ...fromUrl, ...options });
  const { keyPrefix, enableOfflineQueue, lazyConnect, retryStrategy, ...node } = options;
  const { host: _host, port: _port, db: _db, ...auth } = fromUrl;
  return new Cluster(clusterNodes(where.REDIS_CLUSTER_NODES ?? ''), {
    keyPrefix,
    enableOfflineQueue,
    lazyConnect,
    clusterRetryStrategy: retryStrategy,
    redisOptions: { ...auth, ...node },
  });
}

/**
 * BullMQ's `connection`. On one Redis: options, so BullMQ opens (and closes) its connections
 * itself, as it always did. On a cluster: a Cluster client, not connected yet (BullMQ cannot
 * build one from options). BullMQ closes the copies it makes of it (a Worker's connections) but
 * never the client itself, which a Queue uses and a Worker may use too: whoever made it quits it
 * after closing the Queue or Worker (closeBullConnection). `connectionName` names it (and its
 * copies) in CLIENT LIST.
 */
export function bullConnection(where: RedisLocation, options: RedisOptions = {}): ConnectionOptions {
  return isCluster(where) ? createRedis(where, { ...options, lazyConnect: true }) : { ...redisConnectionOptions(where.REDIS_URL), ...options };
}

/** Closes a client bullConnection made (nothing to do for options: BullMQ closed its own). */
export async function closeBullConnection(connection: ConnectionOptions): Promise<void> {
  if (connection instanceof Redis || connection instanceof Cluster) await quit(connection);
}

/** QUIT, or a hard disconnect when that cannot be sent (already closed, or Redis away). */
export async function quit(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  await client.quit().catch(() => client.disconnect());
}

/** The masters of a cluster, or the one Redis: where a SCAN must run to see every key. */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}
