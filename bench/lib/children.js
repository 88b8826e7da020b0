'use strict';
// Child processes of the benchmark: started with their output in bench/results/logs/<name>.log,
// watched (unexpected exits, warn/error log lines) and always stopped with SIGTERM (then SIGKILL).
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const TAIL = 40;

class Children {
  constructor(logDir) {
    this.logDir = logDir;
    this.all = [];
  }

  /** Starts `node <args>`; `ipc` adds an IPC channel (for our own helper scripts). */
  start(name, args, { env, cwd, ipc = false }) {
    fs.mkdirSync(this.logDir, { recursive: true });
    const logPath = path.join(this.logDir, `${name}.log`);
    const log = fs.createWriteStream(logPath);
    const stdio = ['ignore', 'pipe', 'pipe'];
    if (ipc) stdio.push('ipc');
    const child = spawn(process.execPath, args, { cwd, env, stdio });
    const entry = {
      name,
      child,
      pid: child.pid,
      logPath,
      tail: [],
      warnings: 0,
      errors: 0,
      problems: [], // first few warn/error lines, kept for the report
      readyLine: false,
      exited: false,
      expectedExit: false,
      code: null,
      signal: null,
    };
    entry.exit = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        entry.exited = true;
        entry.code = code;
        entry.signal = signal;
        resolve();
      });
      child.on('error', (error) => {
        entry.spawnError = error;
        entry.exited = true;
        resolve();
      });
    });
    const onLine = (line) => {
      if (!line) return;
      entry.tail.push(line);
      if (entry.tail.length > TAIL) entry.tail.shift();
      if (line.includes('Nida ready')) entry.readyLine = true;
      let level = null;
      if (line.startsWith('{')) {
        try {
          level = JSON.parse(line).level;
        } catch {
          /* not JSON */
        }
      }
      if (level >= 50 || (level === null && /\berror\b/i.test(line))) entry.errors++;
      else if (level === 40) entry.warnings++;
      if ((level >= 40 || (level === null && /error|warn|fail/i.test(line))) && entry.problems.length < 20) {
        entry.problems.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.on('data', (chunk) => {
        log.write(chunk);
        const text = partial + chunk.toString('utf8');
        const lines = text.split('\n');
        partial = lines.pop();
        lines.forEach(onLine);
      });
      stream.on('end', () => onLine(partial));
    }
    child.on('exit', () => setTimeout(() => log.end(), 100));
    this.all.push(entry);
    return entry;
  }

  /** Throws if a child has exited while it should be running. */
  assertAlive() {
    for (const e of this.all) {
      if (e.exited && !e.expectedExit) {
        const error = new Error(
          `${e.name} (pid ${e.pid}) exited unexpectedly (code ${e.code}, signal ${e.signal}); last output:\n` +
            e.tail.slice(-15).map((l) => `    ${l}`).join('\n'),
        );
        error.fatal = true; // no retrying (waitUntil) once a child is gone
        throw error;
      }
    }
  }

  /** SIGSTOP: the process keeps its connections but runs nothing until resume(). */
  pause(entry) {
    if (entry.exited) return;
    entry.child.kill('SIGSTOP');
    entry.paused = true;
  }

  resume(entry) {
    if (entry.exited || !entry.paused) return;
    entry.child.kill('SIGCONT');
    entry.paused = false;
  }

  /** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves with how it ended. */
  async stop(entry, graceMs = 15000) {
    entry.expectedExit = true;
    if (entry.exited) return { name: entry.name, code: entry.code, signal: entry.signal, graceful: true, alreadyExited: true };
    if (entry.paused) this.resume(entry); // a stopped process would not see SIGTERM
    const t0 = Date.now();
    try {
      entry.child.kill('SIGTERM');
    } catch {
      /* already gone */
    }
    let timer;
    const timedOut = await Promise.race([
      entry.exit.then(() => false),
      new Promise((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      try {
        entry.child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
      await entry.exit;
    }
    return { name: entry.name, code: entry.code, signal: entry.signal, graceful: !timedOut, ms: Date.now() - t0 };
  }

  async stopAll(graceMs) {
    return Promise.all(this.all.map((e) => this.stop(e, graceMs)));
  }

  /** Last resort (process 'exit' handler): synchronous SIGKILL to anything still running. */
  killAllSync() {
    for (const e of this.all) {
      if (!e.exited) {
        try {
          e.child.kill('SIGKILL');
        } catch {
          /* ignore */
        }
      }
    }
  }
}

/** Waits for an IPC message of `type` from a child (rejects if it exits first or after `ms`). */
function waitForMessage(entry, type, ms = 20000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${entry.name}: no '${type}' message after ${ms} ms`)), ms);
    const onMessage = (msg) => {
      if (msg && msg.type === type) done(null, msg);
    };
    const onExit = () => done(new Error(`${entry.name} exited before '${type}':\n${entry.tail.slice(-10).join('\n')}`));
    function done(error, msg) {
      clearTimeout(timer);
      entry.child.off('message', onMessage);
      entry.child.off('exit', onExit);
      if (error) reject(error);
      else resolve(msg);
    }
    entry.child.on('message', onMessage);
    entry.child.on('exit', onExit);
  });
}

let nextId = 1;
/** Asks a helper child for its stats over IPC. */
/** Asks a child with an IPC channel for `type` ('stats', or the sink's 'probes') and resolves with its answer's `field`. */
async function ask(entry, type, field, ms = 5000) {
  if (entry.exited) return null;
  const id = nextId++;
  const reply = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry.name}: no ${type} reply`)), ms);
    const onMessage = (msg) => {
      if (msg && msg.type === type && msg.id === id) {
        clearTimeout(timer);
        entry.child.off('message', onMessage);
        resolve(msg[field]);
      }
    };
    entry.child.on('message', onMessage);
  });
  entry.child.send({ type, id });
  return reply;
}

const askStats = (entry, ms = 5000) => ask(entry, 'stats', 'stats', ms);

/** The SMTP sink's confirmation tokens of probe addresses received since the last ask, by address. */
const askProbes = (entry, ms = 5000) => ask(entry, 'probes', 'probes', ms);

module.exports = { Children, waitForMessage, askStats, askProbes };
