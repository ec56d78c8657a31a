import { ProvisioningError } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';

/** SQLSTATEs that retrying cannot fix: the configuration or the database's setup must change. */
const PERMANENT_SQLSTATES: Record<string, string> = {
  '42501':
    'the configured connection user lacks a privilege it needs (see the README)',
  '42704': 'a configured database role does not exist',
};

/** A failed statement, described without its text (which can hold a password verifier). */
export class PostgresStatementError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'PostgresStatementError';
  }
}

/** The SQLSTATE of what the driver threw, if any. */
export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The server's message, without the statement the query builder puts in front of it. */
export function pgMessage(error: unknown, sql?: string): string {
  let message = error instanceof Error ? error.message : String(error);
  // The statement can hold a password verifier, so it is cut off.
  if (sql && message.startsWith(`${sql} - `)) {
    message = message.slice(sql.length + 3);
  }
  return message;
}

/**
 * Turns what the driver threw into a permanent ProvisioningError when retrying cannot help, or
 * an error without the statement text otherwise.
 */
export function describeError(error: unknown, sql?: string): Error {
  if (
    error instanceof ProvisioningError ||
    error instanceof PostgresStatementError
  ) {
    return error;
  }
  const code = pgCode(error);
  const sqlState = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (!sqlState && !sql) {
    // Not from the server (a refused connection, a pool timeout, an abort): as it is.
    return error instanceof Error ? error : new Error(String(error));
  }
  const message = pgMessage(error, sql);
  const permanent = sqlState ? PERMANENT_SQLSTATES[sqlState] : undefined;
  if (permanent) {
    return new ProvisioningError(`${message} (${permanent})`, {
      permanent: true,
    });
  }
  return new PostgresStatementError(
    sqlState ? `${message} (SQLSTATE ${sqlState})` : message,
    code,
  );
}

/** A failed statement as `exec` gives it to its `explain`: never with the statement's text. */
export interface StatementFailure {
  code?: string;
  message: string;
  /** The server's DETAIL line, e.g. which objects depend on the ones being dropped. */
  detail?: string;
}

/**
 * Runs a statement that takes no parameters (DDL), keeping it out of error messages. `explain`
 * may turn a failure into an error of its own.
 */
export async function exec(
  db: Knex | Knex.Transaction,
  sql: string,
  explain?: (failure: StatementFailure) => Error | undefined,
) {
  if (sql.includes('?')) {
    // The query builder would turn it into a parameter placeholder.
    throw new Error('Refusing to run a statement containing "?"');
  }
  try {
    return await db.raw(sql);
  } catch (error) {
    const detail = (error as { detail?: unknown } | undefined)?.detail;
    throw (
      explain?.({
        code: pgCode(error),
        message: pgMessage(error, sql),
        detail: typeof detail === 'string' ? detail : undefined,
      }) ?? describeError(error, sql)
    );
  }
}
