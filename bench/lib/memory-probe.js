'use strict';
// Preloaded into a Nida process by the benchmark (`node -r bench/lib/memory-probe.js`, with
// BENCH_MEMORY_FILE set): appends process.memoryUsage() as a JSON line every 250 ms, so a peak RSS
// can be split into V8's heap, external memory (Buffers) and the rest.
const fs = require('node:fs');

const file = process.env.BENCH_MEMORY_FILE;
if (file) {
  const fd = fs.openSync(file, 'w');
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    fs.writeSync(fd, `${JSON.stringify({ t: Date.now() - t0, rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  }, 250).unref();
}
