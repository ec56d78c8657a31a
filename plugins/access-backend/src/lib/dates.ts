/**
 * Timestamps come back from PostgreSQL as Dates and from SQLite as the milliseconds Knex stored;
 * both become Dates at whole milliseconds here.
 */
export function readDate(value: Date | string | number): Date {
  const date =
    value instanceof Date
      ? new Date(value.getTime())
      : new Date(
          typeof value === 'string' && /^\d+$/.test(value)
            ? Number(value)
            : value,
        );
  if (Number.isNaN(date.getTime())) {
    throw new Error(`Unreadable timestamp from the database: ${String(value)}`);
  }
  return new Date(Math.round(date.getTime()));
}

export function readOptionalDate(
  value: Date | string | number | null | undefined,
): Date | undefined {
  return value === null || value === undefined ? undefined : readDate(value);
}
