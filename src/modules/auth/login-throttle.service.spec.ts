import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { createServer } from 'node:net';
import { validateEnvironment } from '../../config/environment';
import { LoginThrottleService } from './login-throttle.service';

/** A loopback port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('LoginThrottleService', () => {
  it('lets logins go on, with a warning, when Redis is unreachable', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: await closedPort(), lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const throttle = new LoginThrottleService(redis, validateEnvironment({}));
      for (let i = 0; i < 10; i++) expect(await throttle.reserve('layla@example.org', '192.0.2.1')).toBe(0);
      await throttle.release('layla@example.org', '192.0.2.1');
      expect(warn).toHaveBeenCalledWith(expect.anything(), 'Login throttle unavailable (Redis)');
      expect(JSON.stringify(warn.mock.calls)).not.toMatch(/layla|192\.0\.2\.1/);
    } finally {
      warn.mockRestore();
      redis.disconnect();
    }
  });
});
