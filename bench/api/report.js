/*
 * Writes docs/benchmarks.md from the last run's bench/api/results/results.json and plans.txt.
 * Run by bench/api/run.sh; can be rerun on its own.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const results = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'results', 'results.json'), 'utf8'),
);
const plansText = fs.readFileSync(
  path.join(__dirname, 'results', 'plans.txt'),
  'utf8',
);

const TARGET_P99 = 50;
const LISTS = ['mine-first-page', 'mine-page-1000', 'inbox-pending'];
const fmt = n => Number(n).toLocaleString('en-US');
const ms = n => (Number.isFinite(n) ? `${n.toFixed(1)}` : 'n/a');
const by = key => results.results.find(r => r.key === key);
const plan = label => results.plans.find(p => p.label === label);
const warm = p => p.executionMs[p.executionMs.length - 1];
/** Milliseconds of the backend's processor time per answer: its share of a core over the rate. */
const cpuPerAnswer = r => (r.backendCorePercent * 10) / r.rate;

function planBlock(label) {
  return (
    plansText.split(/\n\n(?=-- )/).find(b => b.startsWith(`-- ${label}\n`)) ||
    ''
  );
}

/**
 * When a plan sorts in parallel workers: how long the leader waited for its first row from
 * Gather Merge, and how long the sort itself took (the slowest participant).
 */
function parallelNote(block) {
  const gather = block.match(
    /Gather Merge.*actual time=([\d.]+)\.\.[\d.]+ rows=\d+ loops=\d+\)\n\s*Workers Planned: (\d+)/,
  );
  const sort = block.match(
    /->\s+Sort\s.*actual time=[\d.]+\.\.([\d.]+) rows=\d+ loops=\d+/,
  );
  if (!gather || !sort) return '';
  const first = Number(gather[1]);
  const sorted = Number(sort[1]);
  return (
    ` The planner runs this in parallel (Gather Merge over ${gather[2]} workers): the scan and sort` +
    ` take ${ms(
      sorted,
    )} ms (average over the leader and the workers), yet the first row reaches the top after ${ms(
      first,
    )} ms; ${
      first > 3 * sorted
        ? 'the rest is starting and waiting for the worker processes on a 2-core machine.'
        : 'the parallel workers do not make it faster.'
    }`
  );
}

/** The plan text of one query, without costs and buffer counts, for reading. */
function planExcerpt(label) {
  const block = planBlock(label);
  if (!block) return '(not recorded)';
  return block
    .split('\n')
    .filter(line => !line.startsWith('--') && line.trim() !== '')
    .filter(
      line =>
        !/^\s*(Buffers|Planning:|Planning Time|Heap Blocks|Worker \d)/.test(
          line,
        ),
    )
    .map(line =>
      line
        .replace(/\s*\(cost=[^)]*\)/, '')
        .replace(
          /\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)\)/,
          '(rows=$2, loops=$3, $1 ms)',
        ),
    )
    .join('\n');
}

const d = results.data;
const load = results.load;
const status = Object.fromEntries(d.byStatus.map(s => [s.status, s.n]));
const closed = ['expired', 'revoked', 'rejected', 'cancelled', 'failed']
  .map(s => status[s] || 0)
  .reduce((a, b) => a + b, 0);
const days = Math.round(
  (new Date(d.newest).getTime() - new Date(d.oldest).getTime()) / 86_400_000,
);
const dana = d.byGrantee.find(g => g.grantee_ref === 'user:default/dana');

const lines = [];
const out = s => lines.push(s);

out('# Benchmarks');
out('');
out(
  'How fast the access API answers with a year of history in PostgreSQL. This is a benchmark, not',
);
out(
  'a test: it needs a PostgreSQL server and a quiet machine, takes several minutes, and its numbers',
);
out('depend on the machine. Reproduce with `bench/api/run.sh` (see the end).');
out('');
out('## What is measured');
out('');
out(
  `With ${fmt(
    d.requests,
  )} access requests in the database, the latency of four API calls, each`,
);
out('at a sustained request rate:');
out('');
out(
  '1. **My requests, first page**: `GET /api/access/requests?view=mine&limit=50` as dana.',
);
out(
  `2. **My requests, page ${fmt(
    load.deepPage,
  )}**: the same list, fetched with the cursor of page`,
);
out(
  `   ${fmt(load.deepPage)} (dana's requests ${fmt(
    (load.deepPage - 1) * load.pageSize + 1,
  )} to ${fmt(
    load.deepPage * load.pageSize,
  )}; the cursor is the sort key of the last request of`,
);
out(
  '   the page before, computed in SQL and checked against the cursor the API itself hands out).',
);
out(
  '3. **Approver inbox**: `GET /api/access/inbox?state=pending&limit=50` as lee, the payments',
);
out(
  `   team lead, who has ${fmt(
    d.leePendingInbox,
  )} requests waiting for a decision.`,
);
out(
  '4. **Submit**: `POST /api/access/requests` as dana: read access to `payments-db`, with a',
);
out(
  '   justification (flow `database-owner-approval`: the payments team decides, notified).',
);
out('');
out(
  'A fifth call, `GET /api/access/me`, is measured for reference: it verifies the user token,',
);
out(
  'reads the user info (the caller’s groups) and asks the permission framework whether the caller',
);
out(
  'administers access, about what every access route does first, so it shows what the lists cost',
);
out(
  'on top of it. (The lists ask the permission framework what the caller may read instead, and',
);
out('need no user info.)');
out('');
out(
  `Every answer is checked (status code, a full page of ${load.pageSize}, the expected first`,
);
out(
  'request of the deep page, only pending requests in the inbox, one pending request created per',
);
out('submission); a wrong answer counts as an error and fails the benchmark.');
out('');
out('## How');
out('');
out(
  `- **Machine**: ${results.machine.cores} cores, PostgreSQL ${results.machine.postgres} on the same machine (default`,
);
out(
  `  settings), Node.js ${results.machine.node.replace(
    /^v/,
    '',
  )}. The load generator runs on the same machine too.`,
);
if (results.backend === 'development') {
  out(
    '- **Backend**: the example backend of this repository, as `yarn start` runs it',
  );
  out(
    '  (`backstage-cli package start`: development mode, TypeScript compiled when loaded, source',
  );
  out(
    '  maps on), with every plugin on PostgreSQL (`app-config.bench.yaml`), the demo catalog and',
  );
  out(
    '  the example portal’s permission policy (`@jit-access/plugin-access-backend/policy`). Without',
  );
  out('  the file watcher, so that no restart falls into');
} else {
  out(
    '- **Backend**: the example backend of this repository as it is deployed: the production build',
  );
  out(
    '  (`yarn build:backend`, unpacked as Backstage’s Dockerfile does, `NODE_ENV=production`), with',
  );
  out(
    '  every plugin on PostgreSQL (`app-config.bench.yaml`), the demo catalog and the example',
  );
  out(
    '  portal’s permission policy (`@jit-access/plugin-access-backend/policy`); every request logged.',
  );
  out(
    '  `BENCH_MODE=development` measures the backend as `yarn start` runs it instead; nothing restarts during',
  );
}
out('  a measurement. Fresh databases and migrations at every run.');
out(
  `- **Data**: ${fmt(
    d.requests,
  )} requests over ${days} days (one every 31.5 s), seeded in SQL`,
);
out(
  `  (\`bench/api/seed.sql\`) and analysed and checkpointed before measuring: ${fmt(
    closed,
  )} closed (${['expired', 'revoked', 'rejected', 'cancelled', 'failed']
    .map(s => `${fmt(status[s] || 0)} ${s}`)
    .join(', ')}),`,
);
out(
  `  ${fmt(status.active || 0)} active, ${fmt(
    status.pending_approval || 0,
  )} pending approval. One grant per request (${fmt(d.grants)}),`,
);
out(
  `  ${fmt(
    d.approvers,
  )} approver rows (every request has its approvers, as the flows of`,
);
out(
  `  \`app-config.yaml\` resolve them) and ${fmt(
    d.approvals,
  )} recorded decisions. Requests are spread over the six`,
);
out(
  `  demo users; dana is the grantee of ${fmt(
    dana ? dana.n : 0,
  )} of them, so page ${fmt(load.deepPage)} is far from her last page.`,
);
out(
  `- **Load**: open loop at **${load.rate} requests per second**${
    load.submitRate !== load.rate
      ? ` (submit: ${load.submitRate} per second)`
      : ''
  } for each call in turn:`,
);
out(
  `  ${load.warmupSeconds} s of warm-up, then ${load.seconds} s measured${
    load.deepRate !== load.rate
      ? `; page ${fmt(load.deepPage)} at **${load.deepRate} per second** for ${
          load.deepSeconds
        } s, because each of its queries takes a large share of the machine (see below), and`
      : '.'
  }`,
);
if (load.deepRate < load.rate) {
  out(
    `  once more at ${load.rate} per second to show what happens at the common rate.`,
  );
}
out('  Requests leave on schedule whether or not the');
out(
  '  earlier ones have answered; a latency runs from the scheduled send time to the last byte of',
);
out(
  '  the answer, so a stalled server cannot hide behind a waiting client. The rate was chosen so',
);
out(
  '  that the backend uses a fraction of one core (column "backend CPU"; "machine busy" counts',
);
out(
  `  everything running on the machine, PostgreSQL and the load generator included).${
    results.results.some(
      r =>
        r.machineBusyPercent - r.backendCorePercent / results.machine.cores >
        40,
    )
      ? ' During this run the machine was also busy with other work, which shows in the tails.'
      : ''
  }`,
);
out('');
out('## Results');
out('');
out(
  `One run, ${new Date(results.startedAt)
    .toISOString()
    .slice(0, 10)}. Latencies in milliseconds.`,
);
out('');
out(
  '| call | rate/s | requests | errors | p50 | p90 | p99 | max | backend CPU | machine busy | in the backend: p50 / p99 | event loop held (max) | full GCs | target: p99 < 50 ms |',
);
out(
  '| ---- | -----: | -------: | -----: | --: | --: | --: | --: | ----------: | -----------: | ------------------------: | --------------------: | -------: | ------------------- |',
);
const short = {
  'reference-me': 'Reference: caller check only (`GET /me`)',
  'mine-first-page': 'My requests, first page',
  'mine-page-1000': `My requests, page ${fmt(load.deepPage)} (cursor)`,
  'inbox-pending': 'Approver inbox, pending',
  submit: 'Submit a request',
  'mine-page-1000-at-full-rate': `My requests, page ${fmt(
    load.deepPage,
  )} (cursor), at ${load.rate}/s`,
};
for (const r of results.results) {
  const target = LISTS.includes(r.key)
    ? r.p99 < TARGET_P99
      ? '**met**'
      : '**not met**'
    : r.reference
    ? 'n/a (reference)'
    : r.overload
    ? 'n/a (over capacity)'
    : 'none set';
  out(
    `| ${short[r.key] || r.name} | ${r.rate} | ${fmt(r.count)} | ${
      r.errors
    } | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(
      r.max,
    )} | ${Math.round(r.backendCorePercent)}% of a core | ${Math.round(
      r.machineBusyPercent,
    )}% | ${
      r.backendProbe
        ? `${ms(r.backendProbe.serverP50)} / ${ms(r.backendProbe.serverP99)}`
        : 'n/a'
    } | ${r.backendProbe ? ms(r.backendProbe.eventLoopMaxDelayMs) : 'n/a'} | ${
      r.backendProbe ? r.backendProbe.majorGcs : 'n/a'
    } | ${target} |`,
  );
}
out('');
const full = by('mine-page-1000-at-full-rate');
if (full) {
  const deepRun = by('mine-page-1000');
  out(
    full.maxInFlight >= 5
      ? `At ${full.rate} requests per second, page ${fmt(
          load.deepPage,
        )} asks for more than the machine can give: requests queue up (up to ${
          full.maxInFlight
        } in flight at once) and the median grows from ${ms(
          deepRun.p50,
        )} ms to ${ms(full.p50)} ms.`
      : `At ${full.rate} requests per second, page ${fmt(
          load.deepPage,
        )} keeps up (at most ${full.maxInFlight} in flight at once).`,
  );
  out('');
}
const listResults = LISTS.map(by).filter(Boolean);
const met = listResults.filter(r => r.p99 < TARGET_P99);
out(
  `**Target** (from the product issue): p99 under ${TARGET_P99} ms for the three lists.`,
);
out('');
for (const r of listResults) {
  const minutes = r.p99PerMinute ?? [];
  out(
    `- ${short[r.key]}: p99 ${ms(r.p99)} ms over ${fmt(r.count)} answers, ${
      r.p99 < TARGET_P99 ? 'met' : 'not met'
    }${
      minutes.length > 1
        ? `; each minute on its own: ${minutes.map(ms).join(', ')} ms (${
            minutes.filter(p => p < TARGET_P99).length
          } of ${minutes.length} under ${TARGET_P99} ms)`
        : ''
    }.`,
  );
}
out(
  '- Submit has no target; it is measured to see what a write costs (one transaction: the',
);
out(
  '  request, its grant, approvers and audit event; then the approvers are notified).',
);
out('');
if (results.results.some(r => r.backendProbe)) {
  out(
    'The latencies are measured by the load generator, from the scheduled send time to the last byte',
  );
  out(
    'received. "In the backend" is the same requests timed inside the backend, from their arrival to',
  );
  out(
    'the last byte handed to the socket: the difference is the client, the loopback and the',
  );
  out(
    'operating system sharing two cores between the backend, PostgreSQL and the load generator.',
  );
  out(
    '"Event loop held (max)" is the longest time the backend’s event loop was busy without a break',
  );
  out(
    'during the measurement (a request that arrives then waits at least that long); "full GCs"',
  );
  out(
    'counts the major garbage collections in it. Both come from a probe loaded into the backend',
  );
  out(
    '(`bench/api/probe.cjs`: request timing, a timer histogram, a record of late timers, a garbage',
  );
  out(
    "collection observer and V8's GC profiler for the bytes allocated and promoted).",
  );
  const worst = [...listResults].sort((a, b) => b.p99 - a.p99)[0];
  if (worst && worst.backendProbe) {
    const probe = worst.backendProbe;
    out(
      `In the list with the highest p99 (${short[
        worst.key
      ].toLowerCase()}), the backend spent ${ms(
        probe.gcPercent,
      )}% of the time collecting garbage, its longest pause ${ms(
        probe.gcMaxPauseMs,
      )} ms.`,
    );
  }
  out('');
  const tails = results.results.filter(r => r.backendProbe?.slowest);
  if (tails.length > 0) {
    out('### What makes the tail');
    out('');
    out(
      'What held up the slowest 1% of the answers inside the backend, each answer put down to what',
    );
    out(
      'took most of its time there: a pause of a full garbage collection, of a young-generation one,',
    );
    out(
      'other work holding the event loop (a background task, another request), or none of these',
    );
    out(
      '("waiting": on PostgreSQL, on the permission backend’s answer, on the operating system). From',
    );
    out(
      'the probe’s record of every collection pause and of every time a 10 ms timer fired late. Next',
    );
    out(
      'to it, what the backend allocated per answer (everything it did in the measurement, background',
    );
    out(
      'work included, over the answers) and what outlived young-generation collections per second',
    );
    out(
      '(promoted to the old generation, which only full collections clean up: the more, the more',
    );
    out('often they run).');
    out('');
    out(
      '| call | allocated per answer | promoted | full GCs | slowest 1% (in the backend, ms) | full GC | young GC | other work | waiting |',
    );
    out(
      '| ---- | -------------------: | -------: | -------: | ------------------------------: | ------: | -------: | ---------: | ------: |',
    );
    for (const r of tails) {
      const p = r.backendProbe;
      const t = p.slowest;
      out(
        `| ${short[r.key] || r.name} | ${fmt(p.allocatedKbPerAnswer)} KB | ${ms(
          p.promotedMbPerSecond,
        )} MB/s | ${p.majorGcs} | ${t.count} answers, ${ms(t.fromMs)} to ${ms(
          t.toMs,
        )} | ${t.fullGc} | ${t.youngGc} | ${t.otherWork} | ${t.waiting} |`,
      );
    }
    out('');
    const me = by('reference-me')?.backendProbe;
    const listProbes = listResults.map(r => r.backendProbe).filter(Boolean);
    if (me && listProbes.length > 0) {
      // "a to b", or one figure when they are the same.
      const range = (values, format) => {
        const [low, high] = [Math.min(...values), Math.max(...values)];
        return format(low) === format(high)
          ? format(low)
          : `${format(low)} to ${format(high)}`;
      };
      out(
        `A list answer allocates ${range(
          listProbes.map(p => p.allocatedKbPerAnswer),
          fmt,
        )} KB in the backend, the caller check alone ${fmt(
          me.allocatedKbPerAnswer,
        )} KB.`,
      );
      out(
        `What outlived young-generation collections: ${range(
          listProbes.map(p => p.promotedMbPerSecond),
          ms,
        )} MB/s during the lists, ${ms(
          me.promotedMbPerSecond,
        )} MB/s during the caller check alone.`,
      );
      out('');
    }
  }
}
// What the database does.
out('## What the database does');
out('');
out(
  'The SQL of the lists as the backend’s own `RequestStore` sends it (run through the store and',
);
out(
  'captured by `bench/api/queries.js`), under `EXPLAIN (ANALYZE, BUFFERS)` after the measurements (so',
);
out(
  'with the requests the submit run added as well), twice each; the table shows the second run.',
);
out(
  "EXPLAIN ANALYZE's own clock adds to the times; read them for the shape of the work. Full plans:",
);
out('`bench/api/results/plans.txt`.');
out('');
out('| query | execution (ms, warm) | rows discarded by a filter | sort |');
out('| ----- | -------------------: | -------------------------: | ---- |');
for (const p of results.plans) {
  out(
    `| ${p.label} | ${ms(warm(p))} | ${fmt(p.rowsRemovedByFilter)} | ${
      p.sort ? 'yes' : 'no'
    } |`,
  );
}
out('');

const deep = plan(`mine, page ${load.deepPage} (cursor)`);
const inbox = plan('inbox, pending, first page');
const findings = [];
if (deep && deep.rowsRemovedByFilter >= 10 * load.pageSize) {
  findings.push(
    [
      `**Deep pages walk requests before them.** The page ${fmt(
        load.deepPage,
      )} query discards ${fmt(deep.rowsRemovedByFilter)} rows`,
      'before the page starts: the keyset condition `(created_at, id) < ($t, $id)` of',
      '`newestFirstPage()` is not used as an index condition (see the plan below), so the cost',
      `grows with the page number: ${ms(
        warm(deep),
      )} ms of execution for 51 rows.`,
    ].join('\n'),
  );
}
if (inbox && inbox.sort) {
  findings.push(
    [
      '**The inbox sorts every pending request.** No index gives pending requests in list order:',
      '`access_requests_status_idx (status, pending_deadline)` finds all',
      `${fmt(
        inbox.requestsRowsRead,
      )} pending requests, which are then read and sorted by`,
      '`created_at desc, id desc` before the',
      `approver checks and the limit: ${ms(
        warm(inbox),
      )} ms of execution, growing with the number of`,
      'pending requests across all approvers, not with the page size.' +
        parallelNote(planBlock('inbox, pending, first page')),
    ].join('\n'),
  );
}
if (results.plans.some(p => p.seqScanOnRequests)) {
  findings.push(
    `**A sequential scan of access_requests** appears in: ${results.plans
      .filter(p => p.seqScanOnRequests)
      .map(p => p.label)
      .join(', ')}.`,
  );
}
const ref = by('reference-me');
const first = by('mine-first-page');
const firstPlan = plan('mine, first page');
if (ref && first && firstPlan) {
  findings.push(
    [
      '**Most of a short list is not SQL.** The first page costs',
      `${
        warm(firstPlan) < 0.1 ? 'under 0.1' : ms(warm(firstPlan))
      } ms in PostgreSQL (plus three look-ups of about a millisecond or less to`,
      `fill in grants, approvers and decisions), while the median answer takes ${ms(
        first.p50,
      )} ms and the`,
      `caller check alone (\`GET /me\`) ${ms(
        ref.p50,
      )} ms: token verification, user info and a`,
      `permission request to the permission backend over HTTP on every call${
        results.backend === 'development'
          ? ', in development mode with every request logged'
          : ', every request logged'
      }.`,
      `The backend spends about ${ms(
        cpuPerAnswer(first),
      )} ms of processor time per first page and ${ms(
        cpuPerAnswer(ref),
      )} ms per caller check (its share of a`,
      'core divided by the requests per second), on a machine whose two cores also run PostgreSQL',
      'and the load generator.',
    ].join('\n'),
  );
}
// What the slowest answers of the lists waited for, added up over the three lists.
const listTails = LISTS.map(by)
  .filter(r => r?.backendProbe?.slowest)
  .map(r => r.backendProbe);
if (listTails.length > 0) {
  const total = key => listTails.reduce((n, p) => n + p.slowest[key], 0);
  const slowCount = total('count');
  const collections = total('fullGc') + total('youngGc');
  const heaps = listTails.map(p => p.liveHeapMb).filter(Number.isFinite);
  const fullGcCounts = listTails.map(p => p.majorGcs);
  const meProbe = by('reference-me')?.backendProbe;
  if (collections * 2 > slowCount) {
    findings.push(
      [
        `**The lists' tail is mostly garbage collection.** Of the ${slowCount} slowest answers of the three lists`,
        `(1% of each), ${total(
          'fullGc',
        )} spent most of their time in the backend in a full`,
        `collection's pause and ${total(
          'youngGc',
        )} in a young-generation one; ${total(
          'otherWork',
        )} waited for other work on the event loop`,
        `and ${total(
          'waiting',
        )} for PostgreSQL, the permission backend or the operating system.`,
        `A full collection marks the whole backend's heap, every plugin's${
          heaps.length > 0
            ? ` (${ms(
                heaps.sort((x, y) => x - y)[Math.floor(heaps.length / 2)],
              )} MB in use after one)`
            : ''
        }.`,
        ...(meProbe && meProbe.majorGcs >= Math.min(...fullGcCounts)
          ? [
              `The caller check alone had as many full collections in its measurement, as long as each list's (${
                meProbe.majorGcs
              }, the lists ${Math.min(...fullGcCounts)} to ${Math.max(
                ...fullGcCounts,
              )}):`,
              'how often they come is not the lists’ doing.',
            ]
          : []),
      ].join('\n'),
    );
  }
}
out('### Findings');
out('');
if (findings.length === 0) {
  out(
    'No sequential scan, no large sort and no large filter in the plans of the lists.',
  );
} else {
  for (const f of findings) {
    out(f);
    out('');
  }
}
out('');
out('Plans of the measured lists (costs and buffer counts left out):');
out('');
for (const label of [
  'mine, first page',
  `mine, page ${load.deepPage} (cursor)`,
  'inbox, pending, first page',
]) {
  out(`${label}:`);
  out('');
  out('```');
  out(planExcerpt(label));
  out('```');
  out('');
}
out('## Reproduce');
out('');
out('```sh');
out('bench/api/run.sh');
out('```');
out('');
out(
  'It needs Node.js (the repository installed), a PostgreSQL server at 127.0.0.1:5432 whose user',
);
out(
  '`postgres` may create databases, and port 7107 free. It drops the `backstage_plugin_*`',
);
out(
  'databases (refusing if anything is connected to them), starts the backend with',
);
out(
  '`app-config.yaml` and `app-config.bench.yaml`, waits for `/api/access/health`, seeds',
);
out(
  '(`bench/api/seed.sql`, about two minutes for a million requests), measures',
);
out(
  '(`bench/api/bench.js`), stops the backend, drops the databases again and writes this page',
);
out(
  `(\`bench/api/report.js\`) and \`bench/api/results/\`.${
    process.env.BENCH_STARTED
      ? ` The run above took ${Math.round(
          (Date.now() / 1000 - Number(process.env.BENCH_STARTED)) / 60,
        )} minutes from start to finish.`
      : ''
  } Settings, as`,
);
out(
  'environment variables: `BENCH_REQUESTS` (1000000), `BENCH_RATE` (requests per second),',
);
out(
  '`BENCH_SUBMIT_RATE`, `BENCH_DEEP_RATE` (page 1,000 alone), `BENCH_DURATION` and `BENCH_WARMUP`',
);
out(
  '(seconds), `BENCH_KEEP_DB=1` to keep the seeded databases for a look afterwards.',
);
out('');

// Other benchmarks own sections of the page between their <!-- name:start --> and
// <!-- name:end --> markers (bench/expiry/report.js writes "expiry"): they are kept, at the end.
const page = path.join(root, 'docs', 'benchmarks.md');
const kept = fs.existsSync(page)
  ? fs
      .readFileSync(page, 'utf8')
      .match(/<!-- (\w+):start -->[\s\S]*?<!-- \1:end -->/g) ?? []
  : [];
fs.writeFileSync(
  page,
  kept.length > 0
    ? `${lines.join('\n').trimEnd()}\n\n${kept.join('\n\n')}\n`
    : lines.join('\n'),
);
console.log('Wrote docs/benchmarks.md');
