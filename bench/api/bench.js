/*
 * The API benchmark's load generator (started by bench/api/run.sh, once the backend is up and the
 * data is seeded). For each scenario: a warm-up, then an open-loop measurement: requests are sent
 * on a fixed schedule at BENCH_RATE per second whether or not earlier ones have answered, and each
 * latency runs from the request's scheduled send time to the last byte of its answer (so a slow
 * client cannot hide server stalls). Then EXPLAIN (ANALYZE, BUFFERS) of the list and inbox SQL.
 * Writes bench/api/results/results.json and bench/api/results/plans.txt; exits non-zero when any
 * request failed.
 *
 * BENCH_BASE_URL (http://localhost:7107), BENCH_RATE (10), BENCH_SUBMIT_RATE (BENCH_RATE),
 * BENCH_DEEP_RATE (BENCH_RATE) for page 1,000, which is then also measured at BENCH_RATE when
 * that is higher, BENCH_DURATION seconds (180), BENCH_DEEP_DURATION (twice BENCH_DURATION at a
 * lower deep rate), BENCH_WARMUP seconds (10), BENCH_BACKEND_PGID (to report the backend's CPU
 * use), BENCH_PROBE_FILE (the backend's event-loop and garbage collection probe, see
 * probe.cjs), BENCH_MODE (recorded with the results), BENCH_PG_HOST/PORT/USER.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { Client } = require('pg');
const queries = require('./queries');

const BASE = (process.env.BENCH_BASE_URL || 'http://localhost:7107').replace(
  /\/$/,
  '',
);
const RATE = Number(process.env.BENCH_RATE || 10);
const SUBMIT_RATE = Number(process.env.BENCH_SUBMIT_RATE || RATE);
const DEEP_RATE = Number(process.env.BENCH_DEEP_RATE || RATE);
// Three minutes: the p99 of 1,800 answers is their 18th slowest, which varies far less from run
// to run than the 6th slowest of one minute's 600; each minute's p99 is reported as well.
const DURATION = Number(process.env.BENCH_DURATION || 180);
const MINUTE_MS = 60_000;
const DEEP_DURATION = Number(
  process.env.BENCH_DEEP_DURATION ||
    (DEEP_RATE < RATE ? 2 * DURATION : DURATION),
);
const WARMUP = Number(process.env.BENCH_WARMUP || 10);
const PAGE = 50;
const DEEP_PAGE = 1000;
const RESULTS_DIR = path.join(__dirname, 'results');

const pgConfig = {
  host: process.env.BENCH_PG_HOST || '127.0.0.1',
  port: Number(process.env.BENCH_PG_PORT || 5432),
  user: process.env.BENCH_PG_USER || 'postgres',
  database: 'backstage_plugin_access',
};

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A user token from the development-only demo sign-in, once the catalog knows the user. */
async function tokenFor(user, expectedGroup) {
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${BASE}/api/auth/demo/refresh?user=${user}`, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      const text = await res.text();
      if (res.ok) {
        const body = JSON.parse(text);
        const refs = body.backstageIdentity.identity.ownershipEntityRefs;
        if (refs.includes(expectedGroup)) {
          return body.backstageIdentity.token;
        }
        last = `ownership ${refs.join(', ')}`;
      } else {
        last = `${res.status} ${text.slice(0, 200)}`;
      }
    } catch (error) {
      last = error.message;
    }
    await sleep(1000);
  }
  throw new Error(`No token for ${user} within 180 s: ${last}`);
}

/** CPU counters: the whole machine (/proc/stat) and the backend's process group. */
function cpuSnapshot() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] || 0);
  const total = fields.reduce((a, b) => a + b, 0);
  let backend = 0;
  const pgid = process.env.BENCH_BACKEND_PGID;
  if (pgid) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // rest[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
        if (rest[2] === pgid) {
          backend += Number(rest[11]) + Number(rest[12]);
        }
      } catch {
        // The process ended meanwhile.
      }
    }
  }
  return { idle, total, backend, at: performance.now() };
}

function cpuBetween(a, b) {
  const total = b.total - a.total;
  const seconds = (b.at - a.at) / 1000;
  return {
    machineBusyPercent: total > 0 ? 100 * (1 - (b.idle - a.idle) / total) : 0,
    // Clock ticks are 1/100 s on Linux: percent of one core.
    backendCorePercent: seconds > 0 ? (b.backend - a.backend) / seconds : 0,
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Sends `rate` requests per second for `seconds`, open loop. `send()` performs one request and
 * returns when its last byte arrived (`receivedAt`, performance.now()) and `error`, undefined when
 * the answer was right; checking the answer happens after that moment and is not timed.
 */
async function openLoop({ rate, seconds, send }) {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const samples = [];
  // [when it was due (ms after the start), latency]: for the p99 of each minute.
  const timeline = [];
  const errors = [];
  const inflight = [];
  let maxLag = 0;
  let maxInflight = 0;
  let current = 0;
  const start = performance.now() + 20;
  const startedAt = Date.now() + 20;
  for (let k = 0; k < total; k++) {
    const due = start + k * interval;
    const wait = due - performance.now();
    if (wait > 0) {
      await sleep(wait);
    }
    maxLag = Math.max(maxLag, performance.now() - due);
    current += 1;
    maxInflight = Math.max(maxInflight, current);
    inflight.push(
      (async () => {
        let outcome;
        try {
          outcome = await send();
        } catch (e) {
          outcome = { error: e.message, receivedAt: performance.now() };
        }
        current -= 1;
        samples.push(outcome.receivedAt - due);
        timeline.push([k * interval, outcome.receivedAt - due]);
        if (outcome.error) errors.push(outcome.error);
      })(),
    );
  }
  await Promise.all(inflight);
  return {
    seconds,
    samples,
    timeline,
    errors,
    maxLag,
    maxInflight,
    elapsed: performance.now() - start,
    startedAt,
    endedAt: Date.now(),
  };
}

/**
 * What the backend's probe saw during a measurement: how long the backend itself took to answer
 * (arrival to last byte written, so without the client and the network), the longest the event
 * loop was held, the longest garbage collection pause, how many full (major) collections ran, the
 * share of the time spent collecting, the bytes allocated per answer and promoted to the old
 * generation per second, the heap still in use after a full collection (median), and what
 * held up the slowest 1% of the answers (`slowest`, see tailCauses). Undefined without a probe
 * file.
 */
function probeBetween(startedAt, endedAt) {
  const file = process.env.BENCH_PROBE_FILE;
  if (!file || !fs.existsSync(file)) return undefined;
  const seconds = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line))
    // Each line covers the second before it was written.
    .filter(s => s.at > startedAt && s.at <= endedAt + 1000);
  if (seconds.length === 0) return undefined;
  const round = x => Math.round(x * 10) / 10;
  // The requests of this measurement alone, not those of the warm-up before nor the next call's.
  const answers = seconds
    .flatMap(s => s.served || [])
    .filter(([at]) => at >= startedAt && at <= endedAt);
  const served = answers.map(([, ms]) => ms).sort((a, b) => a - b);
  return {
    seconds: seconds.length,
    served: served.length,
    serverP50: round(percentile(served, 50)),
    serverP99: round(percentile(served, 99)),
    serverMax: round(served[served.length - 1]),
    eventLoopMaxDelayMs: round(Math.max(...seconds.map(s => s.maxDelayMs))),
    gcMaxPauseMs: round(Math.max(...seconds.map(s => s.gcMaxMs))),
    majorGcs: seconds.reduce((n, s) => n + s.majorGcs, 0),
    gcPercent: round(
      (100 * seconds.reduce((n, s) => n + s.gcMs, 0)) / (1000 * seconds.length),
    ),
    // Everything the backend allocated in the measurement (background work too), per answer.
    allocatedKbPerAnswer: Math.round(
      seconds.reduce((n, s) => n + (s.allocatedBytes || 0), 0) /
        1024 /
        Math.max(1, served.length),
    ),
    promotedMbPerSecond: round(
      seconds.reduce((n, s) => n + (s.promotedBytes || 0), 0) /
        1024 /
        1024 /
        seconds.length,
    ),
    liveHeapMb: round(
      percentile(
        seconds
          .flatMap(s => s.liveAfterFullGcBytes || [])
          .sort((a, b) => a - b),
        50,
      ) /
        1024 /
        1024,
    ),
    slowest: tailCauses(answers, seconds),
  };
}

/** How much of [start, end] the intervals [[from, length], ...] cover (ms). */
function overlap(start, end, intervals) {
  let total = 0;
  for (const [from, length] of intervals) {
    total += Math.max(0, Math.min(end, from + length) - Math.max(start, from));
  }
  return total;
}

/**
 * What held up the slowest 1% of the answers (at least one), each put down to what took most of
 * its time in the backend: a full garbage collection, a young-generation one, other work holding
 * the event loop (a background task, another request), or none of these (then it was waiting:
 * on PostgreSQL, on the permission backend's answer, on the operating system). Holds count
 * without the collections inside them; under 5 ms of any of them counts as none.
 */
function tailCauses(answers, seconds) {
  const pauses = seconds.flatMap(s => s.pauses || []);
  const full = pauses.filter(([, , major]) => major === 1);
  const young = pauses.filter(([, , major]) => major === 0);
  const holds = seconds.flatMap(s => s.holds || []);
  const slowest = [...answers]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Math.max(1, Math.ceil(answers.length / 100)));
  const causes = { fullGc: 0, youngGc: 0, otherWork: 0, waiting: 0 };
  for (const [finishedAt, ms] of slowest) {
    const start = finishedAt - ms;
    const fullMs = overlap(start, finishedAt, full);
    const youngMs = overlap(start, finishedAt, young);
    const otherMs = Math.max(
      0,
      overlap(start, finishedAt, holds) - fullMs - youngMs,
    );
    const [cause, longest] = [
      ['fullGc', fullMs],
      ['youngGc', youngMs],
      ['otherWork', otherMs],
    ].sort((a, b) => b[1] - a[1])[0];
    causes[longest >= 5 ? cause : 'waiting'] += 1;
  }
  const round = x => Math.round(x * 10) / 10;
  return {
    count: slowest.length,
    fromMs: round(slowest[slowest.length - 1]?.[1] ?? NaN),
    toMs: round(slowest[0]?.[1] ?? NaN),
    ...causes,
  };
}

/** The latencies of each whole minute of a measurement, sorted (a last partial minute is left out). */
function perMinute(timeline, seconds) {
  const minutes = [];
  const whole = Math.floor((seconds * 1000) / MINUTE_MS);
  for (let m = 0; m < whole; m++) minutes.push([]);
  for (const [at, ms] of timeline) {
    minutes[Math.floor(at / MINUTE_MS)]?.push(ms);
  }
  return minutes.map(minute => minute.sort((a, b) => a - b));
}

function summarise(name, run, cpu, extra = {}) {
  const sorted = [...run.samples].sort((a, b) => a - b);
  const round = x => Math.round(x * 10) / 10;
  const firstErrors = [...new Set(run.errors)].slice(0, 5);
  return {
    name,
    ...extra,
    count: sorted.length,
    errors: run.errors.length,
    errorExamples: firstErrors,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    p99PerMinute: perMinute(run.timeline, run.seconds).map(minute =>
      round(percentile(minute, 99)),
    ),
    max: round(sorted[sorted.length - 1]),
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length),
    achievedRate: round(sorted.length / (run.elapsed / 1000)),
    backendProbe: probeBetween(run.startedAt, run.endedAt),
    maxScheduleLagMs: round(run.maxLag),
    maxInFlight: run.maxInflight,
    machineBusyPercent: round(cpu.machineBusyPercent),
    backendCorePercent: round(cpu.backendCorePercent),
  };
}

async function request(method, url, token, body) {
  const res = await fetch(`${BASE}/api/access${url}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const receivedAt = performance.now();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, receivedAt };
}

async function explain(client, label, native) {
  const sql = `EXPLAIN (ANALYZE, BUFFERS) ${native.sql}`;
  // The first run reads what the measurements left in the cache; the second is what a steady
  // stream of the same query sees. Both execution times are kept; the plan text is the second.
  const runs = [];
  let plan = '';
  for (let i = 0; i < 2; i++) {
    const { rows } = await client.query(sql, native.bindings);
    plan = rows.map(r => r['QUERY PLAN']).join('\n');
    const m = plan.match(/Execution Time: ([\d.]+) ms/);
    runs.push(m ? Number(m[1]) : NaN);
  }
  const nodes = [
    ...new Set(
      [...plan.matchAll(/->\s+([A-Za-z ]+?)(?:\s+on|\s+using|\s+\(|$)/gm)].map(
        m => m[1].trim(),
      ),
    ),
  ];
  const top = plan.split('\n')[0].match(/^\s*([A-Za-z ]+?)\s+\(/);
  if (top) nodes.unshift(top[1].trim());
  const removed = [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].map(m =>
    Number(m[1]),
  );
  // The most rows any scan of access_requests produced (rows x loops), and discarded.
  let requestsRowsRead = 0;
  for (const line of plan.split('\n')) {
    const m = line.match(
      /Scan.* on access_requests\b.*actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)/,
    );
    if (m) {
      requestsRowsRead = Math.max(
        requestsRowsRead,
        Number(m[1]) * Number(m[2]),
      );
    }
  }
  return {
    label,
    sql: native.sql,
    requestsRowsRead,
    bindings: native.bindings.map(b =>
      b instanceof Date ? b.toISOString() : b,
    ),
    executionMs: runs,
    nodes,
    seqScanOnRequests: /Seq Scan on access_requests/.test(plan),
    sort: /Sort Key/.test(plan),
    rowsRemovedByFilter: removed.reduce((a, b) => a + b, 0),
    plan,
  };
}

async function main() {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const pg = new Client(pgConfig);
  await pg.connect();
  const started = new Date();

  const { rows: versionRows } = await pg.query('SHOW server_version');
  const { rows: shape } = await pg.query(`
    SELECT
      (SELECT count(*) FROM access_requests)::int AS requests,
      (SELECT count(*) FROM access_grants)::int AS grants,
      (SELECT count(*) FROM access_request_approvers)::int AS approvers,
      (SELECT count(*) FROM access_approvals)::int AS approvals,
      (SELECT min(created_at) FROM access_requests) AS oldest,
      (SELECT max(created_at) FROM access_requests) AS newest`);
  const { rows: byStatus } = await pg.query(
    `SELECT status, count(*)::int AS n FROM access_requests GROUP BY status ORDER BY n DESC`,
  );
  const { rows: byGrantee } = await pg.query(
    `SELECT grantee_ref, count(*)::int AS n FROM access_requests GROUP BY grantee_ref ORDER BY n DESC`,
  );

  console.log('Signing in as dana and lee');
  const dana = await tokenFor('dana', 'group:default/payments');
  const lee = await tokenFor('lee', 'group:default/team-leads');
  const danaRef = 'user:default/dana';
  const leeRef = 'user:default/lee';

  // Page 1,000 of dana's requests: the cursor is the sort key of the last item of page 999,
  // taken from SQL with the list's own ordering.
  const keyAt = async offset => {
    const { rows } = await pg.query(
      `SELECT created_at, id FROM access_requests WHERE grantee_ref = $1
       ORDER BY created_at DESC, id DESC OFFSET $2 LIMIT 1`,
      [danaRef, offset],
    );
    if (rows.length === 0) {
      throw new Error(`dana has fewer than ${offset + 1} requests`);
    }
    return rows[0];
  };
  const lastOf999 = await keyAt((DEEP_PAGE - 1) * PAGE - 1);
  const lastOf998 = await keyAt((DEEP_PAGE - 2) * PAGE - 1);
  const firstOf1000 = await keyAt((DEEP_PAGE - 1) * PAGE);
  const deepCursor = queries.cursorAfter(lastOf999.created_at, lastOf999.id);
  // The API must agree: page 999, reached with the cursor of page 998, hands out the same
  // cursor, and page 1,000 starts with the request SQL says it does.
  const page999 = await request(
    'GET',
    `/requests?view=mine&limit=${PAGE}&cursor=${queries.cursorAfter(
      lastOf998.created_at,
      lastOf998.id,
    )}`,
    dana,
  );
  if (page999.status !== 200 || page999.json.nextCursor !== deepCursor) {
    throw new Error(
      `Page 999 did not lead to the computed cursor of page 1000: ${
        page999.status
      } ${String(page999.json?.nextCursor)} vs ${deepCursor}`,
    );
  }
  console.log(
    `Cursor of page ${DEEP_PAGE} checked against the API: ${deepCursor}`,
  );

  const { rows: inboxCount } = await pg.query(
    `SELECT count(*)::int AS n FROM access_requests r
     WHERE r.status = 'pending_approval'
       AND EXISTS (SELECT 1 FROM access_request_approvers a
                   WHERE a.request_id = r.id AND a.stage = r.current_stage AND a.approver_ref = $1)
       AND NOT EXISTS (SELECT 1 FROM access_approvals d
                       WHERE d.request_id = r.id AND d.approver_ref = $1)`,
    [leeRef],
  );

  const expect = (res, status, check) => ({
    receivedAt: res.receivedAt,
    error:
      res.status !== status
        ? `HTTP ${res.status}: ${res.text.slice(0, 160)}`
        : check(res.json),
  });

  const submission = {
    items: [{ resourceRef: 'payments-db', permission: 'read' }],
    justification: 'Benchmark: investigate failed payouts INC-42',
  };
  const sendDeep = async () =>
    expect(
      await request(
        'GET',
        `/requests?view=mine&limit=${PAGE}&cursor=${deepCursor}`,
        dana,
      ),
      200,
      b =>
        b.items.length !== PAGE
          ? `expected a full page, got ${b.items.length} items`
          : b.items[0].id !== firstOf1000.id
          ? `page ${DEEP_PAGE} starts with ${b.items[0].id}, not ${firstOf1000.id}`
          : undefined,
    );
  const scenarios = [
    {
      key: 'reference-me',
      reference: true,
      name: 'Reference: the caller check alone (GET /me, as dana)',
      rate: RATE,
      send: async () =>
        expect(await request('GET', '/me', dana), 200, b =>
          b.userEntityRef !== danaRef ? 'someone else' : undefined,
        ),
    },
    {
      key: 'mine-first-page',
      name: 'My requests, first page (GET /requests?view=mine&limit=50, as dana)',
      rate: RATE,
      send: async () =>
        expect(
          await request('GET', `/requests?view=mine&limit=${PAGE}`, dana),
          200,
          b =>
            b.items.length !== PAGE || !b.nextCursor
              ? `expected a full page, got ${b.items.length} items`
              : b.items.some(i => i.granteeRef !== danaRef)
              ? 'an item of someone else'
              : undefined,
        ),
    },
    {
      key: 'mine-page-1000',
      name: `My requests, page ${DEEP_PAGE} via cursor (GET /requests?view=mine&limit=50&cursor=…, as dana)`,
      rate: DEEP_RATE,
      seconds: DEEP_DURATION,
      send: sendDeep,
    },
    ...(DEEP_RATE < RATE
      ? [
          {
            key: 'mine-page-1000-at-full-rate',
            overload: true,
            name: `My requests, page ${DEEP_PAGE} via cursor, at the rate of the other calls`,
            rate: RATE,
            send: sendDeep,
          },
        ]
      : []),
    {
      key: 'inbox-pending',
      name: 'Approver inbox (GET /inbox?state=pending&limit=50, as lee)',
      rate: RATE,
      send: async () =>
        expect(
          await request('GET', `/inbox?state=pending&limit=${PAGE}`, lee),
          200,
          b =>
            b.items.length !== PAGE
              ? `expected a full page, got ${b.items.length} items`
              : b.items.some(i => i.status !== 'pending_approval')
              ? 'an item that is not pending'
              : undefined,
        ),
    },
    {
      key: 'submit',
      name: 'Submit (POST /requests, as dana: read on payments-db)',
      rate: SUBMIT_RATE,
      send: async () =>
        expect(await request('POST', '/requests', dana, submission), 201, b =>
          b.requests?.length !== 1 ||
          b.requests[0].status !== 'pending_approval' ||
          b.requests[0].approvers.length < 1
            ? `unexpected submission result ${JSON.stringify(b).slice(0, 160)}`
            : undefined,
        ),
    },
  ];

  const results = [];
  for (const scenario of scenarios) {
    console.log(`== ${scenario.name}`);
    const warm = await openLoop({
      rate: scenario.rate,
      seconds: WARMUP,
      send: scenario.send,
    });
    if (warm.errors.length > 0) {
      throw new Error(
        `Warm-up of ${scenario.key} failed ${warm.errors.length} time(s): ${warm.errors[0]}`,
      );
    }
    const before = cpuSnapshot();
    const seconds = scenario.seconds || DURATION;
    const run = await openLoop({
      rate: scenario.rate,
      seconds,
      send: scenario.send,
    });
    const cpu = cpuBetween(before, cpuSnapshot());
    // The backend's probe writes the last second of the measurement a moment later.
    await sleep(1200);
    const summary = summarise(scenario.name, run, cpu, {
      key: scenario.key,
      reference: Boolean(scenario.reference),
      overload: Boolean(scenario.overload),
      rate: scenario.rate,
      seconds,
      warmupSeconds: WARMUP,
    });
    results.push(summary);
    console.log(
      `   n=${summary.count} errors=${summary.errors} p50=${summary.p50} p90=${
        summary.p90
      } p99=${summary.p99} (per minute ${summary.p99PerMinute.join(
        ' / ',
      )}) max=${summary.max} ms` +
        ` (rate ${summary.achievedRate}/s, max lag ${summary.maxScheduleLagMs} ms, in flight <= ${summary.maxInFlight},` +
        ` machine ${summary.machineBusyPercent}% busy, backend ${summary.backendCorePercent}% of a core)`,
    );
    const probe = summary.backendProbe;
    if (probe) {
      console.log(
        `   backend: answered ${probe.served} with p50=${probe.serverP50} p99=${probe.serverP99} max=${probe.serverMax} ms;` +
          ` event loop held up to ${probe.eventLoopMaxDelayMs} ms, longest GC pause ${probe.gcMaxPauseMs} ms,` +
          ` ${probe.majorGcs} full GCs, ${probe.gcPercent}% of the time collecting;` +
          ` allocated ${probe.allocatedKbPerAnswer} KB per answer, promoted ${probe.promotedMbPerSecond} MB/s;` +
          ` slowest ${probe.slowest.count} (${probe.slowest.fromMs}-${probe.slowest.toMs} ms):` +
          ` ${probe.slowest.fullGc} full GC, ${probe.slowest.youngGc} young GC,` +
          ` ${probe.slowest.otherWork} other work, ${probe.slowest.waiting} waiting`,
      );
    }
    if (summary.errors > 0) {
      console.log(`   errors: ${summary.errorExamples.join(' | ')}`);
    }
  }

  // The plans of the SQL the measured lists run.
  console.log('== EXPLAIN (ANALYZE, BUFFERS)');
  const store = queries.storeQueries(pgConfig);
  const firstPage = await store.listMine({ userRef: danaRef, limit: PAGE });
  const hydrateSql = await store.hydrate(firstPage.result.items.slice(0, PAGE));
  const inboxSql = await store.inboxPending({ userRef: leeRef, limit: PAGE });
  const plans = [
    await explain(pg, 'mine, first page', firstPage.statement),
    await explain(
      pg,
      `mine, page ${DEEP_PAGE} (cursor)`,
      (
        await store.listMine({
          userRef: danaRef,
          limit: PAGE,
          cursor: deepCursor,
        })
      ).statement,
    ),
    await explain(pg, 'inbox, pending, first page', inboxSql),
    await explain(pg, 'hydrate: grants of a page', hydrateSql.grants),
    await explain(pg, 'hydrate: approvals of a page', hydrateSql.approvals),
    await explain(pg, 'hydrate: approvers of a page', hydrateSql.approvers),
  ];
  await store.end();

  for (const p of plans) {
    console.log(
      `   ${p.label}: ${p.executionMs
        .map(x => `${x} ms`)
        .join(', ')}; ${p.nodes.join(' > ')}; rows removed by filter ${
        p.rowsRemovedByFilter
      }`,
    );
  }
  await pg.end();

  const out = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    backend: process.env.BENCH_MODE || 'production',
    machine: {
      cores: require('node:os').cpus().length,
      node: process.version,
      postgres: versionRows[0].server_version.split(' ')[0],
    },
    load: {
      rate: RATE,
      submitRate: SUBMIT_RATE,
      deepRate: DEEP_RATE,
      deepSeconds: DEEP_DURATION,
      seconds: DURATION,
      warmupSeconds: WARMUP,
      pageSize: PAGE,
      deepPage: DEEP_PAGE,
    },
    data: {
      ...shape[0],
      oldest: shape[0].oldest.toISOString(),
      newest: shape[0].newest.toISOString(),
      byStatus,
      byGrantee,
      leePendingInbox: inboxCount[0].n,
    },
    results,
    plans: plans.map(({ plan, ...rest }) => rest),
  };
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'results.json'),
    `${JSON.stringify(out, null, 2)}\n`,
  );
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'plans.txt'),
    plans
      .map(
        p =>
          `-- ${p.label}\n-- ${p.sql}\n-- bindings: ${JSON.stringify(
            p.bindings,
          )}\n${p.plan}\n`,
      )
      .join('\n'),
  );

  const failed = results.filter(r => r.errors > 0);
  if (failed.length > 0) {
    console.error(
      `FAILED: requests errored in ${failed
        .map(r => `${r.key} (${r.errors})`)
        .join(', ')}`,
    );
    process.exit(1);
  }
}

main().catch(error => {
  console.error(`FAILED: ${error.stack || error.message}`);
  process.exit(1);
});
