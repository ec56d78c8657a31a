/*
 * Loaded into the benchmark backend with `node --require` (bench/api/run.sh). Once a second it
 * appends one line of JSON to BENCH_PROBE_FILE: the longest event-loop delay of that second, the
 * garbage collection pauses in it, and how long the backend took to answer each access API
 * request that finished in it (from the request's arrival to the last byte handed to the
 * socket), so that the benchmark can say what a latency tail was made of. Costs one histogram,
 * one timer and a clock read per request; does nothing without BENCH_PROBE_FILE.
 */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const {
  constants,
  monitorEventLoopDelay,
  PerformanceObserver,
} = require('node:perf_hooks');

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const zero = () => ({ gcCount: 0, gcMs: 0, gcMaxMs: 0, majorGcs: 0 });
  let gc = zero();
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      gc.gcCount += 1;
      gc.gcMs += entry.duration;
      gc.gcMaxMs = Math.max(gc.gcMaxMs, entry.duration);
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.majorGcs += 1;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  // [finished at (ms since the epoch), time in the backend (ms)] of each access API request.
  let served = [];
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function probedEmit(event, req, res) {
    if (event === 'request' && req.url.startsWith('/api/access/')) {
      const arrived = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - arrived) / 1e6;
        served.push([Date.now(), Math.round(ms * 100) / 100]);
      });
    }
    return emit.apply(this, arguments);
  };
  const fd = fs.openSync(file, 'a');
  setInterval(() => {
    // The histogram counts from the timer's due time: its max is the longest the loop was busy.
    fs.writeSync(
      fd,
      `${JSON.stringify({
        at: Date.now(),
        maxDelayMs: delay.max / 1e6,
        ...gc,
        served,
      })}\n`,
    );
    delay.reset();
    gc = zero();
    served = [];
  }, 1000).unref();
}
