import { mockServices } from '@backstage/backend-test-utils';
import {
  AccessProvisioner,
  ProvisioningContext,
  ProvisioningTarget,
} from '@jit-access/plugin-access-node';
import { parseManualProvisionerConfig } from './config';
import { createManualProvisioner } from './provisioner';

function context(signal?: AbortSignal): ProvisioningContext {
  return {
    signal: signal ?? new AbortController().signal,
    logger: mockServices.logger.mock(),
    idempotencyKey: 'grant-1:grant',
  };
}

function target(
  overrides: Partial<ProvisioningTarget> = {},
): ProvisioningTarget {
  return {
    grantId: '0b6f3c7e-2f4e-4b39-9d0e-1c1b3f0a9e55',
    requestId: '5d1d2c9a-8d8e-4a57-a0a5-3e6f1f0c2b7d',
    resourceRef: 'resource:default/aws-prod-admin',
    resourceType: 'cloud-role',
    permission: 'assume',
    granteeRef: 'user:default/dana',
    startsAt: '2025-06-01T09:00:00.000Z',
    endsAt: '2025-06-01T13:00:00.000Z',
    ...overrides,
  };
}

describe('createManualProvisioner', () => {
  it('hands grant and revoke to people with the default instructions, filled in', async () => {
    const provisioner = createManualProvisioner();
    expect(provisioner.id).toBe('manual');
    expect(provisioner.overlap).toBe('shared');
    expect(provisioner.observe).toBeUndefined();
    expect(provisioner.extend).toBeUndefined();

    await expect(provisioner.grant(target(), context())).resolves.toEqual({
      fulfilment: {
        instructions:
          'Give user:default/dana assume access to resource:default/aws-prod-admin until 2025-06-01T13:00:00.000Z.',
      },
    });
    await expect(provisioner.revoke(target(), context())).resolves.toEqual({
      fulfilment: {
        instructions:
          'Remove the assume access of user:default/dana to resource:default/aws-prod-admin.',
      },
    });
  });

  it('fills every placeholder, writes times as ISO-8601 in UTC, and keeps doubled braces', async () => {
    const provisioner = createManualProvisioner(
      parseManualProvisionerConfig({
        instructions: {
          grant:
            '{grantee}|{resource}|{permission}|{start}|{end}|{request}|{{literal}}|{grantee}',
        },
      }),
    );
    const result = await provisioner.grant(
      target({
        startsAt: '2025-06-01T11:00:00+02:00',
        endsAt: '2025-06-01T15:30:00+02:00',
      }),
      context(),
    );
    expect(result.fulfilment.instructions).toBe(
      [
        'user:default/dana',
        'resource:default/aws-prod-admin',
        'assume',
        '2025-06-01T09:00:00.000Z',
        '2025-06-01T13:30:00.000Z',
        '5d1d2c9a-8d8e-4a57-a0a5-3e6f1f0c2b7d',
        '{literal}',
        'user:default/dana',
      ].join('|'),
    );
  });

  it('uses a resource’s own instructions, and the defaults for what it leaves out or other resources', async () => {
    const provisioner = createManualProvisioner(
      parseManualProvisionerConfig({
        id: 'by-hand',
        instructions: {
          grant: 'Default grant: {grantee} on {resource}',
          revoke: 'Default revoke: {grantee} on {resource}',
        },
        resources: [
          {
            resource: 'aws-prod-admin',
            grant:
              'In IAM Identity Center, assign {grantee} the AdministratorAccess set until {end}.',
          },
          {
            resource: 'component:finance/ledger',
            revoke: 'Ledger: remove {grantee}',
          },
        ],
      }),
    );
    expect(provisioner.id).toBe('by-hand');

    const admin = target();
    expect((await provisioner.grant(admin, context())).fulfilment).toEqual({
      instructions:
        'In IAM Identity Center, assign user:default/dana the AdministratorAccess set until 2025-06-01T13:00:00.000Z.',
    });
    expect((await provisioner.revoke(admin, context())).fulfilment).toEqual({
      instructions:
        'Default revoke: user:default/dana on resource:default/aws-prod-admin',
    });

    // Refs match whatever their case or how they were written.
    const ledger = target({ resourceRef: 'Component:finance/Ledger' });
    expect(provisioner.instructionsFor('revoke', ledger)).toBe(
      'Ledger: remove user:default/dana',
    );
    expect(provisioner.instructionsFor('grant', ledger)).toBe(
      'Default grant: user:default/dana on Component:finance/Ledger',
    );

    const other = target({ resourceRef: 'resource:default/demo-sandbox' });
    expect(provisioner.instructionsFor('grant', other)).toBe(
      'Default grant: user:default/dana on resource:default/demo-sandbox',
    );
  });

  it('is idempotent: the same grant gives the same instructions', async () => {
    const provisioner = createManualProvisioner();
    const first = await provisioner.grant(target(), context());
    const again = await provisioner.grant(target(), context());
    expect(again).toEqual(first);
  });

  it('refuses templates with unknown placeholders when created directly', () => {
    expect(() =>
      createManualProvisioner({
        instructions: { grant: 'Give {user} access', revoke: 'Remove' },
      }),
    ).toThrow(/instructions\.grant: Unknown placeholder \{user\}/);
    expect(() =>
      createManualProvisioner({
        resources: [{ resource: 'payroll', revoke: 'Remove {who}' }],
      }),
    ).toThrow(/resources\[0\]\.revoke: Unknown placeholder \{who\}/);
  });

  it('does nothing once the call is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      createManualProvisioner().grant(target(), context(controller.signal)),
    ).rejects.toThrow('shutting down');
  });

  it('is an AccessProvisioner', () => {
    const provisioner: AccessProvisioner = createManualProvisioner();
    expect(typeof provisioner.grant).toBe('function');
    expect(typeof provisioner.revoke).toBe('function');
  });
});
