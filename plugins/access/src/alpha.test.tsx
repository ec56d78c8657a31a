import plugin, { accessApi, accessPage, entityAccessCard } from './alpha';

describe('new frontend system plugin', () => {
  it('is the access plugin with its page, API and entity card', () => {
    expect(plugin.pluginId).toBe('access');
    expect(String(accessPage)).toContain('page');
    expect(String(accessApi)).toContain('api');
    expect(String(entityAccessCard)).toContain('kind=entity-card,name=access');
    expect(plugin.routes.root).toBeDefined();
    expect(plugin.routes.request).toBeDefined();
  });
});
