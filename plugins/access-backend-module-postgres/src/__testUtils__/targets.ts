import { mockServices } from '@backstage/backend-test-utils';
import {
  ProvisioningContext,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { randomUUID } from 'node:crypto';

/** A provisioner call's context with a quiet logger. */
export function testContext(signal?: AbortSignal): ProvisioningContext {
  return {
    signal: signal ?? new AbortController().signal,
    logger: mockServices.logger.mock(),
    idempotencyKey: 'test',
  };
}

/** One hour of read access to payments-db for dana, from now; `overrides` changes any of it. */
export function testTarget(
  overrides: Partial<ProvisioningTarget> = {},
): ProvisioningTarget {
  const now = Date.now();
  return {
    grantId: randomUUID(),
    requestId: randomUUID(),
    resourceRef: 'resource:default/payments-db',
    resourceType: 'database',
    permission: 'read',
    granteeRef: 'user:default/dana',
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 60 * 60 * 1000).toISOString(),
    ...overrides,
  };
}

/** What the attacker, mallory, is granted: write on payments-db. */
export function attackTarget(): ProvisioningTarget {
  return testTarget({
    permission: 'write',
    granteeRef: 'user:default/mallory',
  });
}
