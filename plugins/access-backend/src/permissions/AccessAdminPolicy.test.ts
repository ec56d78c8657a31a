import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { AccessAdminPolicy, readAccessAdmins } from './AccessAdminPolicy';

const userInfo = {
  getUserInfo: async (credentials: any) => {
    const userEntityRef = credentials.principal.userEntityRef as string;
    return {
      userEntityRef,
      ownershipEntityRefs: [
        userEntityRef,
        ...(userEntityRef.endsWith('/alex') ? ['group:default/platform'] : []),
      ],
    };
  },
};

const as = (name: string) =>
  ({
    credentials: mockCredentials.user(`user:default/${name}`),
    info: { userEntityRef: `user:default/${name}`, ownershipEntityRefs: [] },
  } as any);

const ask = (name: string) => ({
  permission: {
    type: 'basic' as const,
    name,
    attributes: {},
  },
});

describe('AccessAdminPolicy', () => {
  const policy = new AccessAdminPolicy(['group:default/platform'], userInfo);

  it('lets only members of the configured groups administer access', async () => {
    expect((await policy.handle(ask('access.admin'), as('alex'))).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle(ask('access.admin'), as('dana'))).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await policy.handle(ask('access.admin'))).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('allows everything else', async () => {
    expect(
      (await policy.handle(ask('access.request.create'), as('dana'))).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});

describe('AccessAdminPolicy with no admins', () => {
  it('lets nobody administer access', async () => {
    const policy = new AccessAdminPolicy([], userInfo);
    expect((await policy.handle(ask('access.admin'), as('alex'))).result).toBe(
      AuthorizeResult.DENY,
    );
  });
});

describe('readAccessAdmins', () => {
  it('reads refs with group and default as the default kind and namespace', () => {
    const config = new ConfigReader({
      permission: {
        accessAdmins: ['platform', 'user:default/alex', 'Group:ops/SRE'],
      },
    });
    expect(readAccessAdmins(config)).toEqual([
      'group:default/platform',
      'user:default/alex',
      'group:ops/sre',
    ]);
  });

  it('is nobody when not configured', () => {
    expect(readAccessAdmins(new ConfigReader({}))).toEqual([]);
  });

  it('refuses what is not a user or group', () => {
    expect(() =>
      readAccessAdmins(
        new ConfigReader({
          permission: { accessAdmins: ['group:default/ok', 'component:x'] },
        }),
      ),
    ).toThrow(
      "Invalid config at permission.accessAdmins[1]: 'component:x' is not a user or group reference",
    );
  });
});
