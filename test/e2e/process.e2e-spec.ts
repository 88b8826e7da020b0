import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { getPriority } from 'node:os';
import { freePort, NidaProcess, spawnNida as spawnProcess } from '../support/processes';

/** The built app as a real process: configuration errors, roles and shutdown. */
describe('the Nida process', () => {
  // A process a failed test left running is killed, so Jest does not wait for it.
  const started: NidaProcess[] = [];
  const spawnNida = (env: Record<string, string>) => {
    const nida = spawnProcess(env);
    started.push(nida);
    return nida;
  };
  afterEach(() => {
    for (const nida of started.splice(0)) if (nida.child.exitCode === null && nida.child.signalCode === null) nida.child.kill('SIGKILL');
  });

  it('refuses to start on a wrong setting, naming the variable', async () => {
    const nida = spawnNida({ PORT: 'eighty', APP_ROLE: 'everything' });
    const { code } = await nida.exited;
    expect(code).toBe(78);
    expect(nida.output()).toContain('PORT="eighty"');
    expect(nida.output()).toContain('APP_ROLE="everything"');
  });

  it('requires APP_SECRET and SMTP_URL in production', async () => {
    const nida = spawnNida({ NODE_ENV: 'production', APP_SECRET: '', SMTP_URL: '' });
    const { code } = await nida.exited;
    expect(code).toBe(78);
    expect(nida.output()).toMatch(/APP_SECRET=.*required in production/);
    expect(nida.output()).toMatch(/SMTP_URL=.*required in production/);
  });

  it('refuses to listen beyond loopback with the development secret and admin password', async () => {
    // NODE_ENV, APP_SECRET and the admin unset: the README's public defaults would apply.
    const nida = spawnNida({ HOST: '0.0.0.0', NODE_ENV: '', APP_SECRET: '', ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
    await nida.waitFor('Invalid configuration', 15000);
    expect((await nida.exited).code).toBe(78);
    expect(nida.output()).toMatch(/APP_SECRET=\(unset\): the public development secret must not be used while HOST="0\.0\.0\.0"/);
    expect(nida.output()).toMatch(/ADMIN_PASSWORD=\(unset\): the development admin password must not be used/);
    expect(nida.output()).not.toContain('nida-development-secret');
  });

  it('serves HTTP as the api role, on loopback by default, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const nida = spawnNida({ APP_ROLE: 'api', PORT: String(port), HOST: '', NODE_ENV: '', APP_SECRET: '' });
    await nida.waitFor(`Nida ready (role api), listening on 127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    const list = await fetch(`http://127.0.0.1:${port}/api/v1/campaigns`);
    expect(list.status).toBe(200);
    expect(nida.output()).not.toContain('CampaignSweepProcessor');

    nida.child.kill('SIGTERM');
    expect(await nida.exited).toEqual({ code: 0, signal: null });
    expect(nida.output()).toContain('Nida stopped');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('drains on SIGTERM: refuses new connections, answers on open ones with Connection: close, leaves idle ones to the client', async () => {
    const port = await freePort();
    const nida = spawnNida({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1' });
    await nida.waitFor('Nida ready (role api)');
    // One kept-alive connection, as a load balancer holds to each process.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; connection: string | undefined; socket: unknown }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/v1/campaigns', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, socket: req.socket }));
        });
        req.on('error', reject);
        req.end();
      });
    const first = await get();
    expect(first).toMatchObject({ status: 200, connection: 'keep-alive' });

    nida.child.kill('SIGTERM');
    await nida.waitFor('SIGTERM: shutting down');
    // The port is closed: a new connection is refused (a proxy tries another process).
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    // The open connection was not cut: a request on it is answered, and the connection then closes.
    const second = await get();
    expect(second).toMatchObject({ status: 200, connection: 'close' });
    expect(second.socket).toBe(first.socket);
    expect(await nida.exited).toEqual({ code: 0, signal: null });
    agent.destroy();
  });

  it('keeps emails, passwords and tokens out of its logs', async () => {
    const port = await freePort();
    const nida = spawnNida({ APP_ROLE: 'api', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'trace' });
    await nida.waitFor('Nida ready (role api)');
    const base = `http://127.0.0.1:${port}`;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    await post('/api/v1/auth/login', { email: 'private.person@example.org', password: 'secret-password-123' });
    const ok = await post('/api/v1/auth/login', { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD });
    const { accessToken } = (await ok.json()) as { accessToken: string };
    await fetch(`${base}/api/v1/auth/me?email=query.person@example.org`, { headers: { authorization: `Bearer ${accessToken}` } });
    await fetch(`${base}/confirm/sometokenvalue1234567890`);

    nida.child.kill('SIGTERM');
    await nida.exited;
    const logs = nida.output();
    expect(logs).toContain('request completed');
    for (const secret of [
      'private.person',
      'secret-password-123',
      process.env.ADMIN_EMAIL!,
      process.env.ADMIN_PASSWORD!,
      accessToken,
      'query.person',
      'sometokenvalue',
    ]) {
      expect([secret, logs.includes(secret)]).toEqual([secret, false]);
    }
  });

  it('runs the worker role without an HTTP server, at its WORKER_NICE priority, and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    const nice = Math.min(19, getPriority() + 7);
    const nida = spawnNida({ APP_ROLE: 'worker', PORT: String(port), HOST: '127.0.0.1', WORKER_NICE: String(nice) });
    await nida.waitFor('Nida ready (role worker)');
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    // The main thread (where the jobs run: Linux keeps a nice value per thread) runs at WORKER_NICE.
    expect(getPriority(nida.child.pid)).toBe(nice);
    expect(nida.output()).toContain(`Worker priority lowered to nice ${nice} (WORKER_NICE)`);
    nida.child.kill('SIGINT');
    expect(await nida.exited).toEqual({ code: 0, signal: null });
  });
});
