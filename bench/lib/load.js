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

/** Stops the running autocannons (on abort). */
function stopLoad() {
  for (const instance of running) if (typeof instance.stop === 'function') instance.stop();
}

module.exports = { load, signRequest, signRequestFromPool, poolAddress, getRequest, stopLoad, signersSoFar: () => signerCounter };
