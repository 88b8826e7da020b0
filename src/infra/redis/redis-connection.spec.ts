import Redis, { Cluster } from 'ioredis';
import { validateEnvironment } from '../../config/environment';
import { bullConnection, clusterNodes, createRedis, isCluster, quit } from './redis-connection';

describe('Redis connections', () => {
  const single = { REDIS_URL: 'redis://:s3cret@10.0.0.5:6380/2' };
  const cluster = { REDIS_URL: 'rediss://nida:s3cret@ignored:1', REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-b.internal:7001,[::1]:7002 ' };

  it('reads REDIS_CLUSTER_NODES as host:port entries', () => {
    expect(clusterNodes(cluster.REDIS_CLUSTER_NODES)).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
    expect(isCluster(single)).toBe(false);
    expect(isCluster({ ...single, REDIS_CLUSTER_NODES: '  ' })).toBe(false);
    expect(isCluster(cluster)).toBe(true);
  });

  it('opens one Redis from REDIS_URL, or a Cluster from the nodes with REDIS_URL\'s user, password and TLS', async () => {
    const one = createRedis(single, { lazyConnect: true, keyPrefix: 'nida:' });
    expect(one).toBeInstanceOf(Redis);
    expect(one.options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, password: 's3cret', keyPrefix: 'nida:' });

    const many = createRedis(cluster, { lazyConnect: true, keyPrefix: 'nida:', enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(many).toBeInstanceOf(Cluster);
    const options = (many as Cluster).options;
    expect(options).toMatchObject({ keyPrefix: 'nida:', enableOfflineQueue: false, lazyConnect: true });
    expect(options.redisOptions).toMatchObject({ username: 'nida', password: 's3cret', tls: {}, maxRetriesPerRequest: 1 });
    expect(options.redisOptions).not.toHaveProperty('db');
    expect(options.redisOptions).not.toHaveProperty('keyPrefix');
    await Promise.all([quit(one), quit(many)]);
  });

  it('gives BullMQ options on one Redis, and an unconnected Cluster on a cluster', async () => {
    expect(bullConnection(single, { maxRetriesPerRequest: null })).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, maxRetriesPerRequest: null });
    const forBull = bullConnection(cluster, { maxRetriesPerRequest: null });
    expect(forBull).toBeInstanceOf(Cluster);
    expect((forBull as Cluster).status).toBe('wait');
    expect((forBull as Cluster).options.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    await quit(forBull as Cluster);
  });

  it('refuses a REDIS_CLUSTER_NODES that is not host:port entries', () => {
    expect(validateEnvironment({ REDIS_CLUSTER_NODES: '127.0.0.1:7101,127.0.0.1:7102' }).REDIS_CLUSTER_NODES).toBe('127.0.0.1:7101,127.0.0.1:7102');
    for (const bad of ['127.0.0.1', 'redis://127.0.0.1:7101', '127.0.0.1:7101;127.0.0.1:7102', ',']) {
      expect(() => validateEnvironment({ REDIS_CLUSTER_NODES: bad })).toThrow(/REDIS_CLUSTER_NODES must be host:port entries/);
    }
  });
});
