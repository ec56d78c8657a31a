import { Knex } from 'knex';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Ends the role's open sessions and waits, up to `timeoutMs`, until they are gone; returns how
 * many it terminated.
 */
export async function terminateSessions(
  db: Knex,
  roleName: string,
  options: { signal: AbortSignal; timeoutMs: number },
): Promise<number> {
  const terminated = await db.raw(
    `select count(*) filter (where pg_terminate_backend(pid)) as count
       from pg_catalog.pg_stat_activity
      where usename = ? and pid <> pg_backend_pid()`,
    [roleName],
  );
  const count = Number(terminated.rows[0]?.count ?? 0);
  // pg_terminate_backend only signals; wait until the sessions are really gone.
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const remaining = await db.raw(
      `select count(*) as count from pg_catalog.pg_stat_activity where usename = ?`,
      [roleName],
    );
    if (Number(remaining.rows[0]?.count ?? 0) === 0) {
      return count;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Sessions of database role ${roleName} did not end after being terminated`,
      );
    }
    await sleep(100, options.signal);
  }
}
