import { accessPermissions } from './permissions';

describe('access permissions', () => {
  it('have the names the permission policy refers to, each once', () => {
    const names = accessPermissions.map(p => p.name);
    expect(names).toEqual([
      'access.request.create',
      'access.request.read',
      'access.request.approve',
      'access.grant.revoke',
      'access.admin',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });
});
