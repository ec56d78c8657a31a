import { mockServices } from '@backstage/backend-test-utils';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  AccessProvisioner,
  ProvisioningContext,
  ProvisioningError,
} from '@jit-access/plugin-access-node';
import { GrantRecord } from '../database/grants/GrantStore';
import { ProvisionerGateway } from './ProvisionerGateway';

const never = () => new Promise<never>(() => {});

/** A provisioner none of whose calls ever answers, nor heeds its signal. */
const silent: AccessProvisioner = {
  id: 'silent',
  grant: never,
  revoke: never,
  extend: never,
  observe: never,
  discover: never,
  resetCredentials: never,
};

const gateway = (provisioner: AccessProvisioner, callTimeoutMs = 30) =>
  new ProvisionerGateway({
    provisioners: new Map([[provisioner.id, provisioner]]),
    logger: mockServices.rootLogger({ level: 'none' }),
    callTimeoutMs,
  });

const GRANT: GrantRecord = {
  id: 'g1',
  requestId: 'r1',
  resourceRef: 'resource:default/payments-db',
  permission: 'read',
  provisionerId: 'silent',
  granteeRef: 'user:default/dana',
  state: 'active',
  version: 3,
  externalId: 'role-1',
  attempts: 1,
  grantedAt: new Date('2026-11-22T10:00:00.000Z'),
  expiresAt: new Date('2026-11-22T11:00:00.000Z'),
  credentialsState: 'none',
};
const REQUEST = {
  granteeRef: 'user:default/dana',
  endsAt: new Date('2026-11-22T11:00:00.000Z'),
};
const TARGET = {
  grantId: 'g1',
  requestId: 'r1',
  resourceRef: 'resource:default/payments-db',
  permission: 'read',
  granteeRef: 'user:default/dana',
  startsAt: '2026-11-22T10:00:00.000Z',
  endsAt: '2026-11-22T11:00:00.000Z',
};
const TIMED_OUT = /^Timed out after 30 ms: /;

describe('ProvisionerGateway', () => {
  it.each([
    ['grant', (g: ProvisionerGateway) => g.grant(silent, TARGET)],
    ['revoke', (g: ProvisionerGateway) => g.revoke(silent, TARGET)],
    [
      'resetCredentials',
      (g: ProvisionerGateway) => g.resetCredentials(silent, TARGET, new Date()),
    ],
    ['observe', (g: ProvisionerGateway) => g.observe(silent)],
    ['discover', (g: ProvisionerGateway) => g.discover(silent)],
  ])(
    'abandons a %s call that never answers at the configured timeout, as transient',
    async (_, call) => {
      const result = await call(gateway(silent));
      expect(result).toMatchObject({
        ok: false,
        timedOut: true,
        permanent: false,
        message: expect.stringMatching(TIMED_OUT),
      });
    },
  );

  it('extend: a timeout is worth retrying (503), with the call it was', async () => {
    const extending = gateway(silent).extend(GRANT, REQUEST, {
      accessStart: new Date('2026-11-22T10:00:00.000Z'),
      endsAt: new Date('2026-11-22T12:00:00.000Z'),
      extension: 1,
    });
    await expect(extending).rejects.toThrow(ServiceUnavailableError);
    await expect(extending).rejects.toThrow(
      /^Could not extend read on resource:default\/payments-db: Timed out after 30 ms: /,
    );
  });

  it('extend: a permanent refusal is a conflict; the key and target are as before', async () => {
    const seen: Array<{ target: unknown; ctx: ProvisioningContext }> = [];
    const refusing: AccessProvisioner = {
      ...silent,
      extend: async (target, ctx) => {
        seen.push({ target, ctx });
        throw new ProvisioningError('no longer than a day', {
          permanent: true,
        });
      },
    };
    await expect(
      gateway(refusing).extend(GRANT, REQUEST, {
        accessStart: new Date('2026-11-22T09:00:00.000Z'),
        endsAt: new Date('2026-11-22T12:00:00.000Z'),
        extension: 2,
      }),
    ).rejects.toThrow(
      new ConflictError(
        'Could not extend read on resource:default/payments-db: no longer than a day',
      ),
    );
    expect(seen[0].ctx.idempotencyKey).toBe('g1:extend:2');
    expect(seen[0].target).toEqual({
      ...TARGET,
      startsAt: '2026-11-22T09:00:00.000Z',
      endsAt: '2026-11-22T12:00:00.000Z',
      externalId: 'role-1',
    });
  });

  it('extend: nothing to do where the provisioner keeps no end', async () => {
    const { extend: _, ...keepsNoEnd } = silent;
    await expect(
      gateway(keepsNoEnd).extend(GRANT, REQUEST, {
        accessStart: new Date(),
        endsAt: new Date(),
        extension: 1,
      }),
    ).resolves.toBeUndefined();
  });

  it('gives every call its idempotency key and a signal, and sorts failures', async () => {
    const keys: string[] = [];
    const recording: AccessProvisioner = {
      id: 'silent',
      grant: async (_, ctx) => {
        keys.push(ctx.idempotencyKey);
        expect(ctx.signal.aborted).toBe(false);
        throw new Error('connection refused');
      },
      revoke: async (_, ctx) => {
        keys.push(ctx.idempotencyKey);
        throw new ProvisioningError('gone for good', { permanent: true });
      },
      resetCredentials: async (_, ctx) => {
        keys.push(ctx.idempotencyKey);
        return { password: 'new' };
      },
    };
    const g = gateway(recording);
    expect(await g.grant(recording, TARGET)).toEqual({
      ok: false,
      permanent: false,
      timedOut: false,
      message: 'connection refused',
    });
    expect(await g.revoke(recording, TARGET)).toEqual({
      ok: false,
      permanent: true,
      timedOut: false,
      message: 'gone for good',
    });
    expect(await g.resetCredentials(recording, TARGET, new Date(1000))).toEqual(
      { ok: true, value: { password: 'new' } },
    );
    expect(await g.observe(recording)).toEqual({
      ok: false,
      permanent: true,
      timedOut: false,
      message: "Provisioner 'silent' cannot observe access",
    });
    expect(keys).toEqual(['g1:grant', 'g1:revoke', 'g1:reset:1000']);
  });

  it('gives a provisioner that logs a logger naming it and the grant, and makes none for one that does not', async () => {
    const logger = mockServices.logger.mock();
    const child = mockServices.logger.mock();
    logger.child.mockReturnValue(child);
    const logging: AccessProvisioner = {
      id: 'logging',
      grant: async (_, ctx) => {
        ctx.logger.info('granting');
      },
      revoke: async () => {},
    };
    const g = new ProvisionerGateway({
      provisioners: new Map([[logging.id, logging]]),
      logger,
      callTimeoutMs: 1000,
    });
    await g.revoke(logging, TARGET);
    expect(logger.child).not.toHaveBeenCalled();
    await g.grant(logging, TARGET);
    expect(logger.child).toHaveBeenCalledWith({
      provisioner: 'logging',
      grant: 'g1',
    });
    expect(child.info).toHaveBeenCalledWith('granting');
  });

  it('gives a provisioner with its own timeout (access.engine.callTimeouts) that one, the others the default', async () => {
    const quick: AccessProvisioner = { ...silent, id: 'quick' };
    const g = new ProvisionerGateway({
      provisioners: new Map([
        [silent.id, silent],
        [quick.id, quick],
      ]),
      logger: mockServices.rootLogger({ level: 'none' }),
      callTimeoutMs: 200,
      callTimeoutsMs: { quick: 20 },
    });
    expect(g.timeoutFor('quick')).toBe(20);
    expect(g.timeoutFor('silent')).toBe(200);
    expect(g.longestTimeout()).toBe(200);
    expect(await g.grant(quick, { ...TARGET })).toMatchObject({
      ok: false,
      timedOut: true,
      message: expect.stringMatching(/^Timed out after 20 ms/),
    });
    expect(await g.grant(silent, TARGET)).toMatchObject({
      ok: false,
      timedOut: true,
      message: expect.stringMatching(/^Timed out after 200 ms/),
    });
  });

  it('ends a call early when the caller stops (shutdown), without calling it a timeout', async () => {
    const stop = new AbortController();
    const calling = gateway(silent, 60_000).grant(silent, TARGET, stop.signal);
    stop.abort();
    expect(await calling).toMatchObject({ ok: false, timedOut: false });
  });

  it('counts and times every call by provisioner, operation and outcome', async () => {
    const counted: Array<[number, object]> = [];
    const timed: Array<[number, object]> = [];
    const metrics = {
      createCounter: (name: string) => {
        expect(name).toBe('access.provisioner.calls');
        return { add: (n: number, a: object) => counted.push([n, a]) };
      },
      createHistogram: (name: string) => {
        expect(name).toBe('access.provisioner.call.duration');
        return { record: (n: number, a: object) => timed.push([n, a]) };
      },
    } as unknown as MetricsService;
    const answering: AccessProvisioner = {
      id: 'answering',
      grant: async () => ({ externalId: 'x' }),
      revoke: async () => {
        throw new ProvisioningError('gone for good', { permanent: true });
      },
      extend: async () => {
        throw new Error('busy');
      },
      observe: never,
      discover: async () => [],
    };
    const g = new ProvisionerGateway({
      provisioners: new Map([[answering.id, answering]]),
      logger: mockServices.rootLogger({ level: 'none' }),
      callTimeoutMs: 30,
      metrics,
    });
    await g.grant(answering, TARGET);
    await g.revoke(answering, TARGET);
    await expect(
      g.extend({ ...GRANT, provisionerId: 'answering' }, REQUEST, {
        accessStart: new Date(0),
        endsAt: new Date(1000),
        extension: 1,
      }),
    ).rejects.toThrow(ServiceUnavailableError);
    await g.observe(answering);
    await g.discover(answering);
    // Not a call: the provisioner cannot reset credentials.
    await g.resetCredentials(answering, TARGET, new Date());
    const call = (operation: string, outcome: string, permanent = false) => ({
      provisioner: 'answering',
      operation,
      outcome,
      permanent,
    });
    expect(counted).toEqual([
      [1, call('grant', 'ok')],
      [1, call('revoke', 'failed', true)],
      [1, call('extend', 'failed')],
      [1, call('observe', 'timeout')],
      [1, call('discover', 'ok')],
    ]);
    expect(timed.map(([, attributes]) => attributes)).toEqual(
      counted.map(([, attributes]) => attributes),
    );
    expect(timed.every(([seconds]) => seconds >= 0 && seconds < 5)).toBe(true);
    expect(timed[3][0]).toBeGreaterThanOrEqual(0.02);
  });
});
