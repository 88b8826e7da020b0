'use strict';
// autocannon runs, summarised.
const autocannon = require('autocannon');

const running = new Set(); // loads may run side by side (the crowd scenario)
let signerCounter = 0;

/** A request whose body is a new signer each time (unique email across the whole run). */
function signRequest(path) {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    setupRequest(req) {
      signerCounter++;
      req.body = JSON.stringify({ name: 'Bench Signer', email: `b${signerCounter}@example.org`, country: 'IQ' });
      return req;
    },
  };
}

/**
 * The 131,072 addresses of 198.18.0.0/15 (set aside for benchmarks, RFC 2544): the i-th, wrapping
 * around `poolSize` (at most 131,072).
 */
function poolAddress(i, poolSize) {
  const n = i % poolSize;
  return `198.${18 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * Signing from a pool of client addresses behind a trusted proxy: each request a new signer,
 * from the next address of the pool (`X-Forwarded-For`), with an email at a domain of its own
 * (`b<n>@p<k>.example.org`, k the address's place in the pool). So every limit is consulted
 * (address, domain outside the large providers, email) and none is reached while the pool is
 * large enough: the cost of the limits, not their effect.
 */
function signRequestFromPool(path, poolSize) {
  let next = 0;
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    setupRequest(req) {
      signerCounter++;
      const k = next++ % poolSize;
      req.headers = { ...req.headers, 'x-forwarded-for': poolAddress(k, poolSize) };
      req.body = JSON.stringify({ name: 'Bench Signer', email: `b${signerCounter}@p${k}.example.org`, country: 'IQ' });
      return req;
    },
  };
}

function getRequest(path, headers) {
  return headers ? { method: 'GET', path, headers } : { method: 'GET', path };
}

const round = (n, d = 2) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

/**
 * Runs autocannon and returns the figures the report needs. `expect` is the status a request should get.
 * `url` may be a list: autocannon then gives the connections to the URLs in turn (connection i to
 * url[i % n]); `byPort` counts the responses each port answered. `requests` (instead of `request`)
 * makes each connection go through them in turn; `connectionRate` caps each connection's requests
 * per second (a reader who waits between reads rather than a client as fast as it can).
 */
async function load({ url, request, requests, connections, duration, expect, connectionRate }) {
  const instance = autocannon({
    url,
    connections,
    duration,
    pipelining: 1,
    timeout: 10,
    requests: requests ?? [request],
    ...(connectionRate ? { connectionRate } : {}),
  });
  running.add(instance);
  const byPort = {};
  instance.on('response', (client) => {
    const port = client?.opts?.port;
    byPort[port] = (byPort[port] || 0) + 1;
  });
  let result;
  try {
    result = await instance;
  } finally {
    running.delete(instance);
  }
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats || {}).map(([code, s]) => [code, s.count]));
  const total = result.requests.total;
  const expected = statuses[String(expect)] || 0;
  return {
    url: (requests ?? [request]).map((r) => (Array.isArray(url) ? url.map((u) => u + r.path) : url + r.path)).join(' + '),
    method: (requests ?? [request]).map((r) => r.method).join(' + '),
    connections,
    durationSeconds: result.duration,
    requests: total,
    rps: round(result.requests.average, 1),
    rpsStddev: round(result.requests.stddev, 1),
    expectedStatus: expect,
    expectedResponses: expected,
    unexpectedResponses: total - expected,
    latencyMs: {
      p50: round(result.latency.p50),
      p90: round(result.latency.p90),
      p99: round(result.latency.p99),
      max: round(result.latency.max),
      mean: round(result.latency.average),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    byPort,
  };
}

/**
 * One scenario's figures from its windows (interleaved runs, see AN/AP/AL in run.js): requests and
 * answers summed; req/s the requests over the windows' seconds; CPU the time-weighted mean of the
 * windows' shares of a core, and per request the CPU time over the requests; latency percentiles
 * the median of the windows' (max the largest). `runsRps` and `runsApiCpu` (api µs a request) hold
 * each window's, in order, for paired ratios.
 */
function combineWindows(windows) {
  const sum = (f) => windows.reduce((n, w) => n + (f(w) ?? 0), 0);
  const median = (xs) => {
    const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
    if (!v.length) return null;
    const m = v.length >> 1;
    return v.length % 2 ? v[m] : round((v[m - 1] + v[m]) / 2);
  };
  const requests = sum((w) => w.requests);
  const seconds = sum((w) => w.durationSeconds);
  const cpuSeconds = sum((w) => w.cpu.seconds);
  const keys = [...new Set(windows.flatMap((w) => Object.keys(w.cpu.percentOfOneCore)))];
  const meanPct = (f) => (cpuSeconds > 0 ? round(sum((w) => (f(w) ?? 0) * w.cpu.seconds) / cpuSeconds, 1) : null);
  // µs of CPU a request, from a share of a core over the window.
  const micros = (w, key) => (w.requests > 0 ? ((w.cpu.percentOfOneCore[key] ?? 0) / 100) * w.cpu.seconds * 1e6 : 0);
  const perRequest = (key) => (requests > 0 ? Math.round(sum((w) => micros(w, key)) / requests) : null);
  const statuses = {};
  for (const w of windows) for (const [code, n] of Object.entries(w.statuses)) statuses[code] = (statuses[code] || 0) + n;
  return {
    url: windows[0].url,
    method: windows[0].method,
    connections: windows[0].connections,
    durationSeconds: round(seconds, 1),
    requests,
    rps: seconds > 0 ? round(requests / seconds, 1) : 0,
    runsRps: windows.map((w) => (w.durationSeconds > 0 ? round(w.requests / w.durationSeconds, 1) : 0)),
    runsApiCpu: windows.map((w) => (w.requests > 0 ? Math.round(micros(w, 'nidaApi') / w.requests) : null)),
    expectedStatus: windows[0].expectedStatus,
    expectedResponses: sum((w) => w.expectedResponses),
    unexpectedResponses: sum((w) => w.unexpectedResponses),
    latencyMs: {
      p50: median(windows.map((w) => w.latencyMs.p50)),
      p90: median(windows.map((w) => w.latencyMs.p90)),
      p99: median(windows.map((w) => w.latencyMs.p99)),
      max: Math.max(...windows.map((w) => w.latencyMs.max ?? 0)),
      mean: median(windows.map((w) => w.latencyMs.mean)),
    },
    non2xx: sum((w) => w.non2xx),
    errors: sum((w) => w.errors),
    timeouts: sum((w) => w.timeouts),
    statuses,
    cpu: {
      seconds: round(cpuSeconds, 1),
      percentOfOneCore: Object.fromEntries(keys.map((k) => [k, meanPct((w) => w.cpu.percentOfOneCore[k])])),
      machineBusyPercent: meanPct((w) => w.cpu.machineBusyPercent),
      otherPercentOfOneCore: meanPct((w) => w.cpu.otherPercentOfOneCore),
    },
    cpuMicrosPerRequest: { app: perRequest('nidaApi'), pg: perRequest('pgBackends'), worker: perRequest('nidaWorker') },
  };
}

/** Stops the running autocannons (on abort). */
function stopLoad() {
  for (const instance of running) if (typeof instance.stop === 'function') instance.stop();
}

module.exports = { load, combineWindows, signRequest, signRequestFromPool, poolAddress, getRequest, stopLoad, signersSoFar: () => signerCounter };
