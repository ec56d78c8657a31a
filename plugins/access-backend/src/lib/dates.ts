/**
 * Timestamps come back from PostgreSQL as Dates and from SQLite as the milliseconds Knex stored;
 * both become Dates at whole milliseconds here.
 */
export function readDate(value: Date | string | number): Date {
  // PostgreSQL's Dates are already whole milliseconds: handed on as they are, no copy (a page of
  // requests has hundreds of them, and none is ever changed after reading).
  if (value instanceof Date && Number.isInteger(value.getTime())) {
    return value;
  }
  let date: Date;
  if (value instanceof Date) {
    date = new Date(value.getTime());
  } else if (typeof value === 'number') {
    date = new Date(value);
  } else if (/^-?\d+(\.\d+)?$/.test(value.trim())) {
    // SQLite keeps the epoch milliseconds Knex wrote, sometimes handed back as text.
    date = new Date(Number(value));
  } else {
    date = new Date(value);
  }
  const ms = date.getTime();
  if (!Number.isFinite(ms)) {
    throw new Error(`Unreadable timestamp from the database: ${String(value)}`);
  }
  return new Date(Math.round(ms));
}

export function readOptionalDate(
  value: Date | string | number | null | undefined,
): Date | undefined {
  return value === null || value === undefined ? undefined : readDate(value);
}
