import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_GRANT_INSTRUCTIONS,
  DEFAULT_REVOKE_INSTRUCTIONS,
  parseManualProvisionerConfig,
  readManualProvisionerConfig,
} from './config';

function read(manual: unknown) {
  return readManualProvisionerConfig(
    new ConfigReader({ access: { manual } } as any),
  );
}

/** The problem lines of the error from reading the config; fails when it does not throw. */
function problemsOf(manual: unknown): string[] {
  try {
    read(manual);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    const [first, ...rest] = (error as Error).message.split('\n');
    expect(first).toBe('Invalid access.manual configuration:');
    return rest;
  }
  throw new Error('expected readManualProvisionerConfig to throw');
}

const defaults = {
  id: 'manual',
  instructions: {
    grant: DEFAULT_GRANT_INSTRUCTIONS,
    revoke: DEFAULT_REVOKE_INSTRUCTIONS,
  },
  resources: [],
};

describe('readManualProvisionerConfig', () => {
  it('gives the defaults without config', () => {
    expect(readManualProvisionerConfig(new ConfigReader({}))).toEqual(defaults);
    expect(read({})).toEqual(defaults);
    expect(parseManualProvisionerConfig(undefined)).toEqual(defaults);
    expect(DEFAULT_GRANT_INSTRUCTIONS).toBe(
      'Give {grantee} {permission} access to {resource} until {end}.',
    );
    expect(DEFAULT_REVOKE_INSTRUCTIONS).toBe(
      'Remove the {permission} access of {grantee} to {resource}.',
    );
  });

  it('reads everything, normalising resource refs', () => {
    expect(
      read({
        id: 'by-hand',
        instructions: { grant: 'Add {grantee} ({request})' },
        resources: [
          { resource: 'payroll', grant: 'Payroll: add {grantee}' },
          { resource: 'Component:finance/ledger', revoke: 'Ledger: remove' },
          {
            resource: 'resource:default/vpn',
            grant: 'VPN: add {grantee} from {start} to {end}',
            revoke: 'VPN: remove {grantee}',
          },
        ],
      }),
    ).toEqual({
      id: 'by-hand',
      instructions: {
        grant: 'Add {grantee} ({request})',
        revoke: DEFAULT_REVOKE_INSTRUCTIONS,
      },
      resources: [
        {
          resource: 'resource:default/payroll',
          grant: 'Payroll: add {grantee}',
        },
        { resource: 'component:finance/ledger', revoke: 'Ledger: remove' },
        {
          resource: 'resource:default/vpn',
          grant: 'VPN: add {grantee} from {start} to {end}',
          revoke: 'VPN: remove {grantee}',
        },
      ],
    });
  });

  it('names unknown placeholders, and where they are', () => {
    expect(
      problemsOf({
        instructions: { grant: 'Give {user} access to {resource} as {role}' },
        resources: [
          { resource: 'payroll', revoke: 'Remove {grantee} by {deadline}' },
        ],
      }),
    ).toEqual([
      'access.manual.instructions.grant: Unknown placeholders {user}, {role} (known: {grantee}, {resource}, {permission}, {start}, {end}, {request})',
      'access.manual.resources[0].revoke: Unknown placeholder {deadline} (known: {grantee}, {resource}, {permission}, {start}, {end}, {request})',
    ]);
  });

  it('names stray braces, and accepts doubled ones', () => {
    expect(
      problemsOf({
        instructions: { grant: 'Give {grantee access', revoke: 'Remove }' },
      }),
    ).toEqual([
      "access.manual.instructions.grant: Unclosed '{' at character 6 (write {{ for a literal brace)",
      "access.manual.instructions.revoke: Unmatched '}' at character 8 (write }} for a literal brace)",
    ]);
    expect(
      read({ instructions: { grant: 'Set {{"user": "{grantee}"}}' } })
        .instructions.grant,
    ).toBe('Set {{"user": "{grantee}"}}');
  });

  it('names a resource that is not an entity ref, a missing one and duplicates', () => {
    expect(
      problemsOf({
        resources: [
          { resource: 'not a ref', grant: 'x' },
          { grant: 'x' },
          { resource: 'payroll', grant: 'x' },
          { resource: 'Resource:default/Payroll', revoke: 'y' },
        ],
      }),
    ).toEqual([
      "access.manual.resources[0].resource: 'not a ref' is not an entity ref of the form [kind:][namespace/]name",
      'access.manual.resources[1].resource: is required',
    ]);
    expect(
      problemsOf({
        resources: [
          { resource: 'payroll', grant: 'x' },
          { resource: 'Resource:default/Payroll', revoke: 'y' },
        ],
      }),
    ).toEqual([
      "access.manual.resources[1].resource: 'resource:default/Payroll' is already configured at access.manual.resources[0]",
    ]);
  });

  it('names a resource entry without instructions, empty templates and a wrong type', () => {
    expect(
      problemsOf({
        id: ' ',
        instructions: { grant: '  ' },
        resources: [{ resource: 'payroll' }, { resource: 'vpn', grant: 42 }],
      }),
    ).toEqual([
      'access.manual.id: must not be empty',
      'access.manual.instructions.grant: must not be empty',
      'access.manual.resources[0]: must set grant, revoke or both',
      'access.manual.resources[1].grant: must be a string',
    ]);
  });

  it('names unknown fields and wrong shapes', () => {
    expect(
      problemsOf({
        instuctions: { grant: 'x' },
        instructions: { grnt: 'x' },
        resources: [{ resource: 'payroll', grant: 'x', owner: 'me' }],
      }),
    ).toEqual([
      'access.manual.instructions.grnt: unknown field',
      'access.manual.resources[0].owner: unknown field',
      'access.manual.instuctions: unknown field',
    ]);
    expect(problemsOf({ resources: { resource: 'payroll' } })).toEqual([
      'access.manual.resources: Expected array, received object',
    ]);
  });
});
