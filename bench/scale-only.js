'use strict';
/**
 * Scenarios S0, S1 and S2 of the benchmark alone (`npm run build && node bench/scale-only.js`, a minute
 * or two): signing on the bare baseline that also sends its mail, in one process (S0), on one
 * APP_ROLE=all process (S1) and on two APP_ROLE=api processes and one
 * APP_ROLE=worker (S2, the connections given to the two api ports in turn), every confirmation
 * email sent to an SMTP sink; req/s, p50/p99, CPU µs per request and per signature with its email
 * of each Nida process and of PostgreSQL, requests per api process, PostgreSQL lock waits sampled,
 * rows written per table. See bench/lib/scale.js.
 *
 * Its own database nida_bench_scale (dropped and recreated) and Redis prefix nida-bench-scale;
 * children stopped at the end. Settings: BENCH_DURATION (s, 8), BENCH_CONNECTIONS (64),
 * BENCH_WARMUP (s, 2), BENCH_DRAIN_TIMEOUT (s, 300), BENCH_SCALE_ROUNDS (1: S1 then S2; 2: S1, S2,
 * S1, S2, each round's S2/S1 and their geometric mean), BENCH_SCALE_APIS (api processes of S2, 2; 1 is a
 * diagnostic: the api role alone beside a worker), BENCH_PROFILE=1 (CPU profiles of Nida's processes in
 * bench/results/profiles/). Results: printed, and written to bench/results/scale-only.json
 * (logs of the children in bench/results/logs-scale/).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Children, waitForMessage, askStats } = require('./lib/children');
const { machineBusy, intEnv, phaseTimer, baseEnv, NIDA_NODE_FLAGS } = require('./lib/util');
const scale = require('./lib/scale');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const LOG_DIR = path.join(RESULTS_DIR, 'logs-scale');

const say = (msg) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${msg}`);


async function main() {
  const distMain = path.join(ROOT, 'dist/src/main.js');
  if (!fs.existsSync(distMain)) throw new Error('dist/src/main.js is missing: npm run build first');
  const config = {
    duration: intEnv('BENCH_DURATION', 8, 1, 600),
    connections: intEnv('BENCH_CONNECTIONS', 64, 2, 1000),
    warmup: intEnv('BENCH_WARMUP', 2, 0, 60),
    drainTimeout: intEnv('BENCH_DRAIN_TIMEOUT', 300, 5, 3600),
    rounds: intEnv('BENCH_SCALE_ROUNDS', 1, 1, 5),
    apis: intEnv('BENCH_SCALE_APIS', 2, 1, 8),
    crowd: process.env.BENCH_CROWD !== '0',
    only: process.env.BENCH_SCALE_IDS ? process.env.BENCH_SCALE_IDS.split(',') : null,
    crowdReadRate: intEnv('BENCH_CROWD_READ_RATE', 2, 1, 1000),
  };
  const children = new Children(LOG_DIR);
  process.on('exit', () => children.killAllSync());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      children.killAllSync();
      process.exit(130);
    });
  }
  const out = {
    startedAt: new Date().toISOString(),
    config,
    machine: { cpus: os.cpus().length, node: process.version, busyBeforeStartPercent: await machineBusy(1000), loadAverage: os.loadavg() },
    phases: {},
  };
  const phase = phaseTimer(out, say);
  try {
    fs.mkdirSync(LOG_DIR, { recursive: true });
    for (const f of fs.readdirSync(LOG_DIR)) if (f.endsWith('.log')) fs.rmSync(path.join(LOG_DIR, f));
    const sink = children.start('smtp-sink', [path.join(__dirname, 'smtp-sink.js')], { cwd: ROOT, env: baseEnv(), ipc: true });
    sink.port = (await waitForMessage(sink, 'ready')).port;
    out.scale = await scale.scaleScenarios({
      root: ROOT,
      children,
      sink,
      askStats,
      appEnv: (role, port) => ({
        ...baseEnv(),
        NODE_ENV: 'development',
        APP_ROLE: role,
        PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL: 'redis://127.0.0.1:6379',
        SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        LOG_LEVEL: 'warn',
        DEMO_DATA: 'false',
        SIGN_LIMITS: 'off', // the load comes from one address
      }),
      nodeArgs: (name) =>
        process.env.BENCH_PROFILE === '1'
          ? [...NIDA_NODE_FLAGS, '--cpu-prof', '--cpu-prof-dir', path.join(RESULTS_DIR, 'profiles'), '--cpu-prof-name', `nida-${name}.cpuprofile`, distMain]
          : [...NIDA_NODE_FLAGS, distMain],
      baseline: path.join(__dirname, 'baseline-server.js'),
      ...config,
      phase,
      say,
    });
    out.machine.loadAverageAtEnd = os.loadavg();
    console.log(['', ...scale.reportLines(out.scale), ''].join('\n'));
    say(`machine ${out.machine.busyBeforeStartPercent} % busy before the start; load average ${out.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')}`);
    out.problems = children.all.filter((e) => e.warnings || e.errors).map((e) => ({ process: e.name, warnings: e.warnings, errors: e.errors, first: e.problems.slice(0, 5) }));
    if (out.problems.length) console.log(`Log problems: ${JSON.stringify(out.problems, null, 2)}`);
  } finally {
    await Promise.all(children.all.map((e) => children.stop(e, 15000)));
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'scale-only.json'), `${JSON.stringify(out, null, 2)}\n`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
