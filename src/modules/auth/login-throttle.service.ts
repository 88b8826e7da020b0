import { keyedHash } from '../../common/keyed-hash';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { appSecret, Environment } from '../../config/environment';
import type { RedisClient } from '../../infra/redis/redis-connection';
import { REDIS } from '../../infra/redis/redis.module';

/**
 * Checks every bucket's wait and, when none is running, counts the attempt in each and sets the
 * next wait where the free attempts are used up — in one step, so concurrent guesses are
 * counted exactly like sequential ones. Returns the milliseconds still to wait (nothing counted)
 * or 0 (the attempt is reserved).
 * KEYS: the buckets. ARGV: now (ms), longest delay (s), window (s), first delay (s), then each bucket's free attempts.
 */
const RESERVE = `
local now = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  local untilMs = tonumber(redis.call('HGET', key, 'until') or '0')
  if untilMs - now > wait then wait = untilMs - now end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local over = redis.call('HINCRBY', key, 'failures', 1) - tonumber(ARGV[4 + i])
  if over >= 0 then
    local delay = math.min(tonumber(ARGV[4]) * 2 ^ math.min(over, 30), tonumber(ARGV[2]))
    redis.call('HSET', key, 'until', string.format('%.0f', now + delay * 1000))
  end
  redis.call('EXPIRE', key, ARGV[3])
end
return 0
`;

/**
 * After a successful login: the (account, address) bucket (KEYS[1]) is emptied; the others get
 * the reserved attempt back, and lose their wait if that leaves them within their free attempts.
 * ARGV: the free attempts of KEYS[2], KEYS[3] …
 */
const RELEASE = `
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if tonumber(redis.call('HGET', KEYS[i], 'failures') or '0') > 0 then
    if redis.call('HINCRBY', KEYS[i], 'failures', -1) < tonumber(ARGV[i - 1]) then
      redis.call('HDEL', KEYS[i], 'until')
    end
  end
end
return 0
`;

interface Bucket {
  key: string;
  free: number;
}

type ThrottleRedis = RedisClient & {
  loginReserve(...keysThenArgs: (string | number)[]): Promise<number>;
  loginRelease(...keysThenArgs: (string | number)[]): Promise<number>;
};

/**
 * Slows down repeated failed logins. Every attempt is reserved before the password is checked
 * (so 40 guesses at once cost what 40 in a row do) in three buckets:
 * - account and client address (LOGIN_FREE_ATTEMPTS_PER_ACCOUNT): the strict one a guesser hits;
 * - account from any address (LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS): much larger, so a
 *   stranger cannot lock an organiser out from the organiser's own address, yet a guesser with
 *   many addresses still is slowed down;
 * - client address at any account (LOGIN_FREE_ATTEMPTS_PER_IP).
 * After a bucket's free attempts, each further one doubles its wait (LOGIN_FIRST_DELAY_SECONDS,
 * 1 s by default, then 2 s, 4 s … up to LOGIN_MAX_DELAY_SECONDS). A failure keeps its reservation; a success empties the account and
 * address bucket and gives its attempt back to the other two. Keys hold a keyed hash, never the
 * email or the address; they are `<REDIS_PREFIX>:{login}:<bucket>:<keyed hash>`, the `{login}` hash
 * tag keeping an attempt's three buckets in one Redis Cluster slot for its scripts. If Redis is unreachable, logins go on unthrottled (and a warning is
 * logged): locking every organiser out because Redis restarted would be worse.
 */
@Injectable()
export class LoginThrottleService {
  private readonly logger = new Logger(LoginThrottleService.name);
  private readonly redis: ThrottleRedis;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    private readonly env: Environment,
  ) {
    redis.defineCommand('loginReserve', { lua: RESERVE });
    redis.defineCommand('loginRelease', { lua: RELEASE });
    this.redis = redis as ThrottleRedis;
  }

  /** The account+address bucket first, then account (any address), then address (any account). */
  private buckets(email: string, ip: string): Bucket[] {
    const h = (v: string) => keyedHash(appSecret(this.env), v, 32);
    return [
      { key: `{login}:account-ip:${h(JSON.stringify(['account-ip', email, ip]))}`, free: this.env.LOGIN_FREE_ATTEMPTS_PER_ACCOUNT },
      { key: `{login}:account:${h(`account:${email}`)}`, free: this.env.LOGIN_FREE_ATTEMPTS_PER_ACCOUNT_ANY_ADDRESS },
      { key: `{login}:ip:${h(`ip:${ip}`)}`, free: this.env.LOGIN_FREE_ATTEMPTS_PER_IP },
    ];
  }

  /** Counts this attempt and returns 0, or returns the seconds the caller must still wait (nothing counted). */
  async reserve(email: string, ip: string): Promise<number> {
    const buckets = this.buckets(email, ip);
    try {
      const waitMs = await this.redis.loginReserve(
        buckets.length,
        ...buckets.map((b) => b.key),
        Date.now(),
        this.env.LOGIN_MAX_DELAY_SECONDS,
        this.env.LOGIN_FAILURE_WINDOW_SECONDS,
        this.env.LOGIN_FIRST_DELAY_SECONDS,
        ...buckets.map((b) => b.free),
      );
      return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
    } catch (error) {
      this.unavailable(error);
      return 0;
    }
  }

  /** The reserved attempt succeeded. */
  async release(email: string, ip: string): Promise<void> {
    const buckets = this.buckets(email, ip);
    try {
      await this.redis.loginRelease(buckets.length, ...buckets.map((b) => b.key), ...buckets.slice(1).map((b) => b.free));
    } catch (error) {
      this.unavailable(error);
    }
  }

  private unavailable(error: unknown): void {
    this.logger.warn({ err: { type: (error as Error).name } }, 'Login throttle unavailable (Redis)');
  }
}
