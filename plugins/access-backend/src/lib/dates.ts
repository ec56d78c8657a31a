/**
 * Timestamps come back from PostgreSQL as Dates and from SQLite as the milliseconds Knex stored;
 * both become Dates here. A Date always holds whole milliseconds, so the database's Dates are
 * handed on as they are, not copied (a page of requests has hundreds; nothing changes them).
 */
export function readDate(value: Date | string | number): Date {
  let date: Date;
  if (value instanceof Date) {
    date = value;
  } else if (
    typeof value === 'number' ||
    /^-?\d+(\.\d+)?$/.test(value.trim())
  ) {
    // SQLite keeps the epoch milliseconds Knex wrote, sometimes handed back as text.
    date = new Date(Number(value));
  } else {
    date = new Date(value);
  }
  if (!Number.isFinite(date.getTime())) {
    throw new Error(`Unreadable timestamp from the database: ${String(value)}`);
  }
  return date;
}

export function readOptionalDate(
  value: Date | string | number | null | undefined,
): Date | undefined {
  return value === null || value === undefined ? undefined : readDate(value);
}
