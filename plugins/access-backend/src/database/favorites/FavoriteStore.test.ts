import { mockServices } from '@backstage/backend-test-utils';
import { Submission } from '@jit-access/plugin-access-common';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { AccessDatabase } from '../AccessDatabase';

jest.setTimeout(60_000);

const DANA = 'user:default/dana';
const LEE = 'user:default/lee';

const template: Submission = {
  items: [{ resourceRef: 'payments-db', permission: 'read' }],
  justification: 'Investigate failed payouts',
};

describe('FavoriteStore', () => {
  const databases = createAccessTestDatabases();

  async function init(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const { favorites } = await AccessDatabase.create({
      database: mockServices.database({ knex }),
    });
    return favorites;
  }

  it.each(databases.eachSupportedId())(
    'saves, pages newest first, reads and deletes only the owner’s favorites, on %p',
    async databaseId => {
      const favorites = await init(databaseId);
      const saved = [];
      for (let n = 0; n < 3; n++) {
        saved.push(
          await favorites.insert({
            id: `00000000-0000-4000-8000-00000000000${n}`,
            ownerRef: DANA,
            name: `favorite ${n}`,
            template,
            createdAt: new Date(Date.UTC(2026, 10, 22, 10, 0, n, 250)),
          }),
        );
      }
      expect(saved[0]).toEqual({
        id: '00000000-0000-4000-8000-000000000000',
        name: 'favorite 0',
        template,
        createdAt: '2026-11-22T10:00:00.250Z',
      });

      const first = await favorites.listByOwner(DANA, 2);
      expect(first.items).toEqual([saved[2], saved[1]]);
      expect(first.nextCursor).toBeDefined();
      const second = await favorites.listByOwner(DANA, 2, first.nextCursor);
      expect(second).toEqual({ items: [saved[0]], nextCursor: undefined });
      expect(await favorites.listByOwner(LEE, 10)).toEqual({
        items: [],
        nextCursor: undefined,
      });

      expect(await favorites.template(saved[1].id, DANA)).toEqual(template);
      expect(await favorites.template(saved[1].id, LEE)).toBeUndefined();

      expect(await favorites.delete(saved[1].id, LEE)).toBe(false);
      expect(await favorites.delete(saved[1].id, DANA)).toBe(true);
      expect(await favorites.delete(saved[1].id, DANA)).toBe(false);
      expect(await favorites.template(saved[1].id, DANA)).toBeUndefined();
    },
  );
});
