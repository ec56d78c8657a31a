/*
 * Loaded into the benchmark backend with `node --require` (bench/api/run.sh). Once a second it
 * appends one line of JSON to BENCH_PROBE_FILE: the longest event-loop delay of that second, the
 * garbage collection pauses in it, the times the event loop was held, and how long the backend
 * took to answer each access API request that finished in it (from the request's arrival to the
 * last byte handed to the socket), and how many bytes the backend allocated and how many of them
 * outlived young-generation collections (promoted to the old generation, which only full
 * collections clean up), so that the benchmark can say what a latency tail was made of.
 * Costs one histogram, one 10 ms timer, a heap statistics read per collection and a clock read
 * per request; does nothing without BENCH_PROBE_FILE.
 */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const v8 = require('node:v8');
const {
  constants,
  monitorEventLoopDelay,
  performance,
  PerformanceObserver,
} = require('node:perf_hooks');

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const round = ms => Math.round(ms * 100) / 100;
  const zero = () => ({ gcCount: 0, gcMs: 0, gcMaxMs: 0, majorGcs: 0 });
  let gc = zero();
  // [started at (ms since the epoch), pause (ms), 1 if full (major) else 0] of each collection.
  let pauses = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      const major = entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      gc.gcCount += 1;
      gc.gcMs += entry.duration;
      gc.gcMaxMs = Math.max(gc.gcMaxMs, entry.duration);
      gc.majorGcs += major ? 1 : 0;
      pauses.push([
        round(performance.timeOrigin + entry.startTime),
        round(entry.duration),
        major ? 1 : 0,
      ]);
    }
  }).observe({ entryTypes: ['gc'] });
  // [started at, length (ms)] of each time a 10 ms timer fired more than 10 ms late: the event
  // loop was busy (with anything: a request, a background task, a collection) that long.
  let holds = [];
  let due = performance.now() + 10;
  setInterval(() => {
    const now = performance.now();
    const late = now - due;
    if (late > 10) {
      holds.push([round(performance.timeOrigin + due), round(late)]);
    }
    due = now + 10;
  }, 10).unref();
  // [finished at (ms since the epoch), time in the backend (ms)] of each access API request.
  let served = [];
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function probedEmit(event, req, res) {
    if (event === 'request' && req.url.startsWith('/api/access/')) {
      const arrived = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - arrived) / 1e6;
        served.push([Date.now(), round(ms)]);
      });
    }
    return emit.apply(this, arguments);
  };
  // Bytes allocated between collections (used heap before one minus after the one before) and
  // bytes that young-generation collections moved to the old generation.
  const heap = new v8.GCProfiler();
  heap.start();
  let usedAfterLast;
  const heapTraffic = () => {
    const { statistics } = heap.stop();
    heap.start();
    let allocatedBytes = 0;
    let promotedBytes = 0;
    // What was still in use after each full collection: the live heap every full one marks.
    const liveAfterFullGcBytes = [];
    const outsideNewSpace = ({ heapStatistics, heapSpaceStatistics }) =>
      heapStatistics.usedHeapSize -
      heapSpaceStatistics.find(space => space.spaceName === 'new_space')
        .spaceUsedSize;
    for (const { gcType, beforeGC, afterGC } of statistics) {
      const before = beforeGC.heapStatistics.usedHeapSize;
      if (usedAfterLast !== undefined) {
        allocatedBytes += Math.max(0, before - usedAfterLast);
      }
      usedAfterLast = afterGC.heapStatistics.usedHeapSize;
      if (gcType === 'MarkSweepCompact') {
        liveAfterFullGcBytes.push(usedAfterLast);
      }
      if (gcType === 'Scavenge') {
        promotedBytes += Math.max(
          0,
          outsideNewSpace(afterGC) - outsideNewSpace(beforeGC),
        );
      }
    }
    return { allocatedBytes, promotedBytes, liveAfterFullGcBytes };
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
        ...heapTraffic(),
        pauses,
        holds,
        served,
      })}\n`,
    );
    delay.reset();
    gc = zero();
    pauses = [];
    holds = [];
    served = [];
  }, 1000).unref();
}
