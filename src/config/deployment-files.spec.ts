import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { settingNames, validateEnvironment } from './environment';
import { demandedSettings } from './environment.rules';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface ComposeService {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number | boolean>;
}

/** What the secrets compose asks for (`${NAME:?…}`) look like when someone sets them right. */
const SET_BY_OPERATOR: Record<string, string> = {
  NIDA_APP_SECRET: 'an-operator-secret-of-more-than-32-characters',
  NIDA_DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  NIDA_ADMIN_PASSWORD: 'a long admin password',
};

/** Compose's interpolation as the operator runs it: `${X:?…}` from SET_BY_OPERATOR, `${X:-default}` as the default. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::([?-])((?:[^{}]|\{[^}]*\})*))?\}/g, (_, name: string, kind?: string, rest?: string) => {
    if (kind === '-') return rest ?? '';
    const given = SET_BY_OPERATOR[name];
    if (given === undefined) throw new Error(`compose.yaml asks for \${${name}}, which this test does not know`);
    return given;
  });
}

/** The services that run Nida's image, with their environment as compose resolves it. */
function nidaServices(): Map<string, Record<string, string>> {
  const compose = load(read('compose.yaml')) as { services: Record<string, ComposeService> };
  const found = new Map<string, Record<string, string>>();
  for (const [name, service] of Object.entries(compose.services)) {
    if (service.build === undefined && !service.image?.startsWith('nida')) continue;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(service.environment ?? {})) env[key] = interpolate(String(value));
    found.set(name, env);
  }
  return found;
}

describe('deployment files', () => {
  const services = nidaServices();

  it('runs two api processes and a worker from the image', () => {
    const roles = [...services.values()].map((env) => env.APP_ROLE).sort();
    expect(roles).toEqual(['api', 'api', 'worker']);
  });

  it('sets only settings Nida knows, in every service', () => {
    const known = new Set(settingNames());
    for (const [name, env] of services) {
      const unknown = Object.keys(env).filter((key) => !known.has(key));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('sets everything production demands, and each service starts with what it sets', () => {
    for (const [name, env] of services) {
      expect(env.NODE_ENV).toBe('production');
      const missing = [...demandedSettings(env), 'DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL', 'ADMIN_EMAIL'].filter((key) => !env[key]);
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
      expect(() => validateEnvironment(env)).not.toThrow();
    }
    // The api processes sit behind nginx and believe its X-Forwarded-For.
    for (const env of [...services.values()].filter((e) => e.APP_ROLE === 'api')) expect(env.TRUST_PROXY).toBeTruthy();
  });

  it('refuses to start without the secrets (no default for any of them)', () => {
    const compose = read('compose.yaml');
    for (const secret of Object.keys(SET_BY_OPERATOR)) expect(compose).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
  });

  it('sends nginx to the api services compose defines', () => {
    const upstreams = [...read('deploy/nginx.conf').matchAll(/^\s*server (\w+):3000/gm)].map((m) => m[1]).sort();
    const apis = [...services].filter(([, env]) => env.APP_ROLE === 'api').map(([name]) => name).sort();
    expect(upstreams).toEqual(apis);
  });

  it('routes and retries alike in the deployed nginx and the one the scale test runs; only the idempotent supporters\' POSTs are resent', () => {
    const locations = (file: string) =>
      [...read(file).matchAll(/^\s*location ([^{]+)\{([^}]*)\}/gm)].map((m) => ({
        path: m[1].trim(),
        retry: /proxy_next_upstream ([^;]+);/.exec(m[2])?.[1],
      }));
    const deployed = locations('deploy/nginx.conf');
    const tested = locations('deploy/nginx-test.conf');
    // The deployed file adds a location for photo uploads (a larger body); the rest is the same.
    expect(deployed.filter((l) => l.path !== '/api/v1/campaigns/')).toEqual(tested);
    const resent = deployed.filter((l) => l.retry?.includes('non_idempotent')).map((l) => l.path);
    expect(resent).toEqual([expect.stringMatching(/^~ .*signatures.*confirm/)]);
    for (const l of deployed) expect(l.retry).toMatch(/^error timeout http_502 http_503/);
  });

  it('builds in two stages, installs without dev dependencies, runs as a non-root user and checks /health', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
    expect(dockerfile).not.toMatch(/^ENV[^\n]*APP_ROLE/m);
  });

  it('starts Nida alike everywhere (the Dockerfile, npm start, scripts/start.sh, the bench): a young generation of 2 × 8 MB, one malloc arena', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^CMD \["node", "--max-semi-space-size=8", "dist\/src\/main"\]$/m);
    expect(dockerfile).toMatch(/^ENV MALLOC_ARENA_MAX=1$/m);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const start = 'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-1} node --max-semi-space-size=8 dist/src/main';
    expect([scripts.start, scripts['start:prod']]).toEqual([start, start]);
    expect(read('scripts/start.sh')).toContain(`\n${start} &\n`);
    const bench = read('bench/lib/util.js');
    expect(bench).toContain("const NIDA_NODE_FLAGS = ['--max-semi-space-size=8'];");
    expect(bench).toContain("const arenas = process.env.BENCH_MALLOC_ARENA_MAX || '1';");
  });
});
