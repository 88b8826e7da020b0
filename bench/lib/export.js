'use strict';
// Scenario E: the organisers' CSV export (GET /api/v1/campaigns/:id/signatures.csv), its speed and
// the api process's memory while it streams.
const fs = require('node:fs');
const http = require('node:http');
const { requireBuilt } = require('./built');

const POOL = 1000;
const NAMES = ['ليلى حسن', 'عمر علي', 'Layla Hassan', 'سارة الكاظمي', 'Karim Haddad', 'نور الهدى', 'Omar El-Sayed', 'مريم'];
const CITIES = ['البصرة', 'بغداد', 'Cairo', 'بيروت', 'Amman', 'الناصرية'];
const COMMENTS = ['أوقفوا تجفيف الأهوار', 'Save the marshes, please.', '=1+1', 'قال: "كفى"، الآن', null];

/**
 * Pools of values sealed by the app's own Keyring (the built dist/, with the api's environment, so
 * the api opens them with its keys): POOL distinct emails, names, cities and comments. Rows take
 * them in turn, so each row is sealed data the export really decrypts (AES-256-GCM per field),
 * without sealing 1,000,000 × 4 values in the benchmark.
 */
function sealedPools(root, env) {
  const [{ validateEnvironment }, { Keyring }] = requireBuilt(root, 'config/environment.js', 'infra/crypto/keyring.js');
  const keyring = Keyring.fromEnvironment(validateEnvironment(env));
  const pool = (field, value) => Array.from({ length: POOL }, (_, i) => {
    const text = value(i);
    return text === null ? null : keyring.seal(field, text);
  });
  return {
    emails: pool('signature.email', (i) => `supporter${i}@bench.invalid`),
    names: pool('signature.name', (i) => `${NAMES[i % NAMES.length]} ${i}`),
    cities: pool('signature.city', (i) => CITIES[i % CITIES.length]),
    comments: pool('signature.comment', (i) => COMMENTS[i % COMMENTS.length]),
    keyId: keyring.currentKeyId,
  };
}

/** The resident set size of a process, in kB (null once it is gone). */
function rssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Downloads the CSV (reading as fast as it comes), counting its records (CRLF-terminated lines; a
 * comment's line break is a bare LF), while sampling the api process's RSS every 100 ms.
 */
async function exportCsv(url, token, apiPid, { timeoutMs = 600000 } = {}) {
  const before = rssKb(apiPid);
  let peak = before;
  const samples = [];
  const sampler = setInterval(() => {
    const kb = rssKb(apiPid);
    if (kb !== null) {
      samples.push(kb);
      if (kb > peak) peak = kb;
    }
  }, 100);
  const t0 = process.hrtime.bigint();
  try {
    const { status, headers, lines, bytes, firstBytes } = await new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
        let lines = 0;
        let bytes = 0;
        let lastCr = false;
        let firstBytes = null;
        res.on('data', (chunk) => {
          if (firstBytes === null) firstBytes = chunk.subarray(0, 3);
          bytes += chunk.length;
          for (let i = 0; i < chunk.length; i++) {
            const c = chunk[i];
            if (c === 0x0a && lastCr) lines++;
            lastCr = c === 0x0d;
          }
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, lines, bytes, firstBytes }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('export timed out')));
      req.on('error', reject);
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (status !== 200) throw new Error(`export: HTTP ${status}`);
    if (!firstBytes || firstBytes.toString('hex') !== 'efbbbf') throw new Error('export: no UTF-8 BOM');
    const rows = lines - 1;
    const after = rssKb(apiPid);
    const mb = (kb) => (kb === null ? null : Math.round(kb / 102.4) / 10);
    return {
      rows,
      bytes,
      seconds: Math.round(seconds * 100) / 100,
      rowsPerSecond: Math.round(rows / seconds),
      contentType: headers['content-type'],
      rssMb: { before: mb(before), peak: mb(peak), after: mb(after), samples: samples.length },
    };
  } finally {
    clearInterval(sampler);
  }
}

module.exports = { sealedPools, exportCsv, rssKb };
