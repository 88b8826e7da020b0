import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from './config.module';
import { Environment, MailSettings, NAMESPACES, Namespaces, RedisSettings, settingNames, validateEnvironment } from './environment';

const concerns = Object.keys(NAMESPACES) as (keyof Namespaces)[];

describe('Environment, the whole configuration', () => {
  it('holds every setting in exactly one concern', () => {
    const names = settingNames();
    expect(new Set(names).size).toBe(names.length);
    const env = validateEnvironment({});
    for (const name of names) {
      const owners = concerns.filter((key) => Object.prototype.hasOwnProperty.call(env[key], name));
      expect([name, owners.length]).toEqual([name, 1]);
    }
  });

  it('offers each setting flat and in its concern, as one value', () => {
    const env = validateEnvironment({ MAIL_CONCURRENCY: '7', HOST: '::1' });
    expect(env.MAIL_CONCURRENCY).toBe(7);
    expect(env.mail.MAIL_CONCURRENCY).toBe(7);
    expect(env.HOST).toBe(env.http.HOST);
    env.MAIL_CONCURRENCY = 9;
    expect(env.mail.MAIL_CONCURRENCY).toBe(9);
    env.http.PORT = 8080;
    expect(env.PORT).toBe(8080);
    const values = env as unknown as Record<string, unknown>;
    for (const key of concerns) {
      const concern = env[key] as unknown as Record<string, unknown>;
      for (const name of Object.keys(concern)) expect([name, values[name]]).toEqual([name, concern[name]]);
    }
  });

  it('copies with every setting as a plain value (`{ ...env, NODE_ENV }`, as tests do)', () => {
    const env = validateEnvironment({ NODE_ENV: 'test', MAIL_CONCURRENCY: '3' });
    const copy = { ...env, NODE_ENV: 'production' } as Environment;
    expect(copy.NODE_ENV).toBe('production');
    expect(copy.MAIL_CONCURRENCY).toBe(3);
    expect(copy.APP_SECRET).toBe(env.APP_SECRET);
    expect(Object.keys(copy)).toEqual(expect.arrayContaining(settingNames()));
    expect(env.NODE_ENV).toBe('test');
  });

  it('built without the environment holds the defaults', () => {
    const env = new Environment();
    expect([env.PORT, env.mail.MAIL_CONCURRENCY, env.APP_SECRET]).toEqual([3000, 5, undefined]);
  });
});

describe('ConfigModule', () => {
  @Injectable()
  class NeedsMailOnly {
    constructor(readonly mail: MailSettings, readonly redis: RedisSettings) {}
  }

  it('provides the Environment and each concern on its own, the same objects', async () => {
    const env = validateEnvironment({ MAIL_CONCURRENCY: '4' });
    @Module({ imports: [ConfigModule.forEnvironment(env)], providers: [NeedsMailOnly] })
    class Sample {}
    const app = await NestFactory.createApplicationContext(Sample, { logger: false, abortOnError: false });
    try {
      expect(app.get(Environment)).toBe(env);
      for (const key of concerns) expect([key, app.get(NAMESPACES[key]) === env[key]]).toEqual([key, true]);
      const consumer = app.get(NeedsMailOnly);
      expect(consumer.mail).toBe(env.mail);
      expect(consumer.mail.MAIL_CONCURRENCY).toBe(4);
      expect(consumer.redis).toBe(env.redis);
    } finally {
      await app.close();
    }
  });
});
