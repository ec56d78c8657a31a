/*
 * The shared parts of the input cases that hold openapi.yaml to the server: what a case is, what
 * it needs made first, and the values and builders the cases use.
 */

export const HOUR = 60 * 60 * 1000;
export const at = (offsetMs: number) =>
  new Date(Date.now() + offsetMs).toISOString();
export const DB_READ = { resourceRef: 'payments-db', permission: 'read' };
export const SANDBOX = { resourceRef: 'sandbox', permission: 'use' };
export const JUSTIFICATION = 'Investigate failed payouts in INC-42';
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
export const items = (count: number, item: object = SANDBOX) =>
  Array.from({ length: count }, () => item);

/** What a case needs made first: requests in a given state, a cursor. */
export interface Fixtures {
  /** A new request of dana's under 'owner-approval', waiting for lee. */
  pending(): Promise<string>;
  /** A new request of dana's under 'owner-approval', cancelled. */
  closed(): Promise<string>;
  /** A `nextCursor` the API issued for dana's requests. */
  requestsCursor(): Promise<string>;
}

/** A value, or one made from the fixtures when the case runs. */
export type Made<T> = T | ((fx: Fixtures) => Promise<T>);

export interface InputCase {
  name: string;
  /** `METHOD /path/{param}` as in the document. */
  route: string;
  /** The demo user who sends it (dana unless said). */
  as?: string;
  params?: Made<Record<string, string>>;
  query?: Made<Record<string, string | string[]>>;
  body?: Made<unknown>;
  /** The exact text of a JSON body. */
  raw?: string;
}

export const post = (
  route: string,
  name: string,
  body: unknown,
): InputCase => ({
  name,
  route: `POST ${route}`,
  body,
});
export const get = (
  route: string,
  name: string,
  query: Record<string, string | string[]>,
): InputCase => ({ name, route: `GET ${route}`, query });
export const withId =
  (id: Made<string>) =>
  async (fx: Fixtures): Promise<Record<string, string>> => ({
    id: typeof id === 'string' ? id : await id(fx),
  });
