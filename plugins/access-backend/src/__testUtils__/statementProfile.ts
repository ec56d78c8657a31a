import { Knex } from 'knex';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';

/** Time spent in one kind of statement (its verb and first table) during a benchmark. */
export interface StatementTimes {
  kind: string;
  count: number;
  totalMs: number;
}

/** The kind of a statement, for grouping: its verb and the first table it names. */
function kindOf(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const verb = /^(with \w+ as \(\s*)?(\w+)/i.exec(text)?.[2]?.toLowerCase();
  const table = /\b(?:from|into|update|join)\s+"?(\w+)"?/i.exec(text)?.[1];
  if (/pg_advisory_xact_lock/.test(text)) return 'select pg_advisory_xact_lock';
  if (/^with (due|working) as/i.test(text)) return 'claim (with … update)';
  let extra = /\b(count|min|max)\(/i.exec(text)?.[1]?.toLowerCase();
  if (/not exists/i.test(text)) extra = 'not exists';
  if (/for update/i.test(text)) extra = 'for update';
  return [verb, table, extra].filter(Boolean).join(' ');
}

/**
 * Records how long each statement on `db` (and its transactions) takes, from sending to its
 * answer, and how busy this process's event loop is, between start() and stop(). For the
 * benchmark's report: where the time of a run goes.
 */
export function statementProfile(db: Knex) {
  const started = new Map<string, { at: number; kind: string }>();
  const times = new Map<string, StatementTimes>();
  let recording = false;
  let loopAtStart = performance.eventLoopUtilization();
  const onQuery = (data: { __knexQueryUid?: string; sql?: string }) => {
    if (recording && data.__knexQueryUid && data.sql) {
      started.set(data.__knexQueryUid, {
        at: performance.now(),
        kind: kindOf(data.sql),
      });
    }
  };
  const onAnswer = (_: unknown, data: { __knexQueryUid?: string }) => {
    const start = data.__knexQueryUid && started.get(data.__knexQueryUid);
    if (!start) return;
    started.delete(data.__knexQueryUid!);
    const entry = times.get(start.kind) ?? {
      kind: start.kind,
      count: 0,
      totalMs: 0,
    };
    entry.count += 1;
    entry.totalMs += performance.now() - start.at;
    times.set(start.kind, entry);
  };
  db.on('query', onQuery);
  db.on('query-response', onAnswer);
  // BENCH_CPU_PROFILE=<file>: this process's CPU profile of the same span, for Chrome's DevTools.
  const cpuProfileFile = process.env.BENCH_CPU_PROFILE;
  const inspector = cpuProfileFile ? new Session() : undefined;
  return {
    async start() {
      recording = true;
      loopAtStart = performance.eventLoopUtilization();
      if (inspector) {
        inspector.connect();
        await inspector.post('Profiler.enable');
        await inspector.post('Profiler.start');
      }
    },
    /** The statements by time spent, most first, and the event loop's utilization (0 to 1). */
    async stop() {
      recording = false;
      db.off('query', onQuery);
      db.off('query-response', onAnswer);
      const loop = performance.eventLoopUtilization(loopAtStart);
      if (inspector) {
        const { profile } = await inspector.post('Profiler.stop');
        fs.writeFileSync(cpuProfileFile!, JSON.stringify(profile));
        inspector.disconnect();
      }
      return {
        eventLoopUtilization: Math.round(loop.utilization * 100) / 100,
        statements: [...times.values()]
          .map(t => ({ ...t, totalMs: Math.round(t.totalMs) }))
          .sort((a, b) => b.totalMs - a.totalMs),
      };
    },
  };
}
