import { mockServices } from '@backstage/backend-test-utils';
import { createAccessTestDatabases } from '../../__testUtils__/testDatabases';
import { AccessDatabase } from '../AccessDatabase';
import { createChainKey } from '.';

jest.setTimeout(60_000);

const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

const event = (action: string, requestId?: string) => ({
  requestId,
  actorRef: 'user:default/dana',
  action,
  at: new Date('2026-11-22T10:00:00.250Z'),
});

describe('AuditStore', () => {
  const databases = createAccessTestDatabases();

  it.each(databases.eachSupportedId())(
    'appends in its own transaction or the caller’s, and reads the trail and head back, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { audit } = await AccessDatabase.create({
        database: mockServices.database({ knex }),
      });
      audit.setChainKey(createChainKey('a chain key for the store test, long'));
      expect(audit.chainKey()).not.toBeNull();
      expect(await audit.head()).toBeUndefined();

      const [first, second] = await audit.append([
        event('submit', REQUEST_ID),
        event('unrelated'),
      ]);
      expect(second.prevHash).toBe(first.hash);

      // Inside the caller's transaction, the rows go (or stay) with it.
      await expect(
        knex.transaction(async tx => {
          await audit.append([event('rolled-back', REQUEST_ID)], tx);
          throw new Error('the state change failed');
        }),
      ).rejects.toThrow('the state change failed');
      const [third] = await knex.transaction(tx =>
        audit.append([event('approve', REQUEST_ID)], tx),
      );
      expect(third.prevHash).toBe(second.hash);

      expect(await audit.listForRequest(REQUEST_ID)).toEqual([first, third]);
      expect(await audit.head()).toEqual({
        seq: third.seq,
        hash: third.hash,
        at: new Date('2026-11-22T10:00:00.250Z'),
        keyed: true,
      });
      expect(await audit.sealUnkeyedChain()).toBeUndefined();
      expect(await audit.verify()).toEqual({
        ok: true,
        checked: 3,
        keyed: true,
        head: { seq: third.seq, hash: third.hash },
      });
    },
  );
});
