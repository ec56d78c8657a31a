import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AccessAdminPolicy } from './accessAdminPolicy';

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
