'use strict';
const fs = require('node:fs');
const net = require('node:net');
const { execFileSync } = require('node:child_process');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port that is free on 127.0.0.1 right now (the kernel picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Free ports, all distinct. */
async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** fetch with a timeout, returning {status, body (parsed JSON when possible)}. */
async function request(method, url, { body, token, timeoutMs = 10000 } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed };
}

/** Calls `fn` every `everyMs` until it returns a truthy value; throws after `timeoutMs`. */
async function waitUntil(what, fn, { timeoutMs = 60000, everyMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      if (error.fatal) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
    }
    await sleep(everyMs);
  }
}

// ── CPU accounting (Linux /proc), to tell what each scenario cost and whether something else ran ──

let clkTck = 100;
try {
  clkTck = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  /* default */
}

function procTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
  } catch {
    return null;
  }
}

function procName(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Ticks of every process whose command name is `name` (postgres, redis-server). */
function ticksByName(names) {
  const out = Object.fromEntries(names.map((n) => [n, new Map()]));
  let dirs = [];
  try {
    dirs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of dirs) {
    const name = procName(pid);
    if (name && out[name]) {
      const t = procTicks(pid);
      if (t !== null) out[name].set(pid, t);
    }
  }
  return out;
}

function systemTicks() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] || 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { idle, total };
  } catch {
    return null;
  }
}

/**
 * Samples CPU use; `end()` returns percentages of one core over the interval for each named pid,
 * each group of pids (e.g. the PostgreSQL backends of our database), every process named in `names`
 * (all of PostgreSQL, Redis), the bench itself, the machine as a whole, and what none of these explain
 * ("other": other users' work, kernel time outside processes).
 */
function cpuMeter(pids, groups = {}, names = ['postgres', 'redis-server']) {
  const t0 = Date.now();
  const sys0 = systemTicks();
  const own0 = process.cpuUsage();
  const p0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procTicks(pid)]));
  const g0 = Object.fromEntries(Object.entries(groups).map(([k, list]) => [k, list.map((pid) => procTicks(pid))]));
  const n0 = ticksByName(names);
  return {
    end() {
      const seconds = (Date.now() - t0) / 1000;
      const pct = (ticks) => Math.round((ticks / clkTck / seconds) * 1000) / 10;
      const out = { seconds: Math.round(seconds * 10) / 10, percentOfOneCore: {} };
      const cores = out.percentOfOneCore;
      for (const [k, pid] of Object.entries(pids)) {
        const t1 = procTicks(pid);
        if (t1 !== null && p0[k] !== null) cores[k] = pct(t1 - p0[k]);
      }
      for (const [k, list] of Object.entries(groups)) {
        let ticks = 0;
        list.forEach((pid, i) => {
          const t1 = procTicks(pid);
          if (t1 !== null && g0[k][i] !== null) ticks += t1 - g0[k][i];
        });
        cores[k] = pct(ticks);
      }
      const own = process.cpuUsage(own0);
      cores.bench = Math.round(((own.user + own.system) / 1e6 / seconds) * 1000) / 10;
      const n1 = ticksByName(names);
      for (const name of names) {
        let ticks = 0;
        for (const [pid, t] of n1[name]) ticks += t - (n0[name].get(pid) ?? t); // new processes: not counted
        cores[name] = pct(ticks);
      }
      const sys1 = systemTicks();
      if (sys0 && sys1) {
        const total = sys1.total - sys0.total;
        const busy = total - (sys1.idle - sys0.idle);
        out.machineBusyPercent = total > 0 ? Math.round((busy / total) * 1000) / 10 : null;
        const ncpu = require('node:os').cpus().length;
        const known = Object.entries(cores)
          .filter(([k]) => !Object.keys(groups).includes(k)) // groups are part of `names`
          .reduce((a, [, v]) => a + v, 0);
        out.otherPercentOfOneCore = Math.max(0, Math.round((out.machineBusyPercent * ncpu - known) * 10) / 10);
      }
      return out;
    },
  };
}

/** How busy the machine is over `ms` (percent of all cores), before we add any load. */
async function machineBusy(ms = 1000) {
  const a = systemTicks();
  await sleep(ms);
  const b = systemTicks();
  if (!a || !b || b.total === a.total) return null;
  return Math.round((1 - (b.idle - a.idle) / (b.total - a.total)) * 1000) / 10;
}

const fmtInt = (n) => (n === null || n === undefined ? '-' : Math.round(n).toLocaleString('en-US'));

/** A whole-number setting from the environment: `fallback` when unset, else an integer in min..max (or an error naming it). */
function intEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer in ${min}..${max} (got ${raw})`);
  return n;
}

/** `phase(name, fn)`: says the phase's name, runs it, records its seconds in `out.phases[name]`. */
function phaseTimer(out, say) {
  return async (name, fn) => {
    const start = Date.now();
    say(`${name}…`);
    const value = await fn();
    out.phases[name] = Math.round((Date.now() - start) / 100) / 10;
    return value;
  };
}

/**
 * The Node flags Nida runs with, as `npm start`, scripts/start.sh and the Dockerfile start it: a
 * young generation of at most 2 × 8 MB (V8's default lets it grow to 2 × 16 MB, and keep it).
 */
const NIDA_NODE_FLAGS = ['--max-semi-space-size=8'];

/**
 * The environment a child of the bench starts from: only what a process needs to run, nothing of
 * the caller's settings, and glibc's malloc with one arena (MALLOC_ARENA_MAX=1), as `npm start`,
 * scripts/start.sh and the Dockerfile run Nida. Every child gets it, the baselines too (the same
 * work in the same conditions). BENCH_MALLOC_ARENA_MAX=default leaves glibc's own (8 per core),
 * another number sets that one: for measuring what the setting does.
 */
function baseEnv() {
  const env = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ']) if (process.env[key] !== undefined) env[key] = process.env[key];
  const arenas = process.env.BENCH_MALLOC_ARENA_MAX || '1';
  if (arenas !== 'default') env.MALLOC_ARENA_MAX = arenas;
  return env;
}

/** The geometric mean of the numbers among `values` (a 0 makes it 0), to three decimals; null when there are none. */
function geometricMean(values) {
  const v = values.filter((x) => typeof x === 'number');
  return v.length ? Math.round(Math.exp(v.reduce((a, x) => a + Math.log(x), 0) / v.length) * 1000) / 1000 : null;
}

/**
 * The ratio of two scenarios run in rounds (`a[i]` and `b[i]` from round i): the geometric mean
 * of each round's a/b. Run in reversed order in alternate rounds, a steady drift cancels out.
 */
function pairedRatio(a, b) {
  if (!a?.length || !b?.length || a.length !== b.length) return null;
  return geometricMean(a.map((x, i) => (typeof x === 'number' && b[i] > 0 ? x / b[i] : null)));
}

module.exports = { NIDA_NODE_FLAGS, baseEnv, geometricMean, pairedRatio, sleep, freePort, freePorts, request, waitUntil, procTicks, clkTck: () => clkTck, cpuMeter, machineBusy, fmtInt, intEnv, phaseTimer };
