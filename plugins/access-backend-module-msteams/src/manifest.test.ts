import fs from 'fs';
import path from 'path';

/** The Teams app package template: what Teams needs from it, and only placeholders to fill. */
describe('the Teams app manifest template', () => {
  const dir = path.resolve(__dirname, '../teams-app');
  const manifest = JSON.parse(
    fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
  );

  it('names a personal bot with the bot id placeholder, and icons that exist', () => {
    expect(manifest.id).toBe('{{TEAMS_BOT_CLIENT_ID}}');
    expect(manifest.bots).toEqual([
      expect.objectContaining({
        botId: '{{TEAMS_BOT_CLIENT_ID}}',
        scopes: ['personal'],
      }),
    ]);
    for (const icon of Object.values(manifest.icons) as string[]) {
      expect(fs.existsSync(path.join(dir, icon))).toBe(true);
    }
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
  });

  it('has no placeholder beyond the documented ones', () => {
    const placeholders = new Set(
      [...JSON.stringify(manifest).matchAll(/\{\{(\w+)\}\}/g)].map(m => m[1]),
    );
    expect([...placeholders].sort()).toEqual([
      'ORGANISATION_NAME',
      'PORTAL_HOST',
      'TEAMS_BOT_CLIENT_ID',
    ]);
  });
});
