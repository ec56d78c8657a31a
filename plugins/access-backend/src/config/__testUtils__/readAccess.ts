/*
 * Reading an `access` section in tests: the result, or the problems reported, one per line.
 */
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readAccessConfig } from '../accessConfig';

/** A minimal valid flow, to be varied by the invalid cases. */
export function baseFlow(overrides: Record<string, unknown> = {}) {
  return {
    id: 'db-owner',
    title: 'Database owner',
    resources: { types: ['database'] },
    durations: ['PT1H'],
    ...overrides,
  };
}

export function read(access: unknown) {
  return readAccessConfig(new ConfigReader({ access } as any));
}

/** The error message from reading `access`, failing the test if it does not throw. */
export function errorOf(access: unknown): string {
  try {
    read(access);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid access configuration:\n/);
    return message;
  }
  throw new Error('expected readAccessConfig to throw');
}

/** The issue lines of the error message from reading `access`. */
export function issuesOf(access: unknown): string[] {
  return errorOf(access).split('\n').slice(1);
}

export function flowIssues(...flows: unknown[]): string[] {
  return issuesOf({ flows });
}
