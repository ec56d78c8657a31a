import plugin, {
  accessApi,
  accessPage,
  entityAccessCard,
  entityAccessContent,
} from './alpha';

describe('new frontend system plugin', () => {
  it('is the access plugin with its page, API and entity card', () => {
    expect(plugin.pluginId).toBe('access');
    expect(String(accessPage)).toContain('page');
    expect(String(accessApi)).toContain('api');
    expect(String(entityAccessCard)).toContain('kind=entity-card,name=access');
    expect(String(entityAccessContent)).toContain(
      'kind=entity-content,name=access',
    );
    expect(plugin.routes.root).toBeDefined();
    expect(plugin.routes.request).toBeDefined();
  });
});
