import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { makeFlow, makeResource } from '../__testUtils__/fixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { AccessDatabase } from '../database/AccessDatabase';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { ApprovalReminders } from './ApprovalReminders';
import { RequestingCaller, RequestService } from './RequestService';

const caller = (name: string, groups: string[]): RequestingCaller => ({
  userEntityRef: `user:default/${name}`,
  ownershipEntityRefs: [
    `user:default/${name}`,
    ...groups.map(g => `group:default/${g}`),
  ],
  isAdmin: false,
});
const dana = caller('dana', ['payments']);
const lee = caller('lee', ['payments']);
const riley = caller('riley', ['security']);

const group = (name: string, members: string[]) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: members.map(m => ({
    type: 'hasMember',
    targetRef: `user:default/${m}`,
  })),
});

describe('approval reminders and escalation', () => {
  const databases = createAccessTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await AccessDatabase.create({
      database: mockServices.database({ knex }),
    });
    let now = new Date('2026-11-22T10:00:00.000Z');
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const send = jest.fn(async () => {});
    const catalog = catalogServiceMock({
      entities: [
        group('payments', ['dana', 'lee', 'sam']),
        group('security', ['riley']),
      ],
    });
    const auth = mockServices.auth();
    const flows = [
      makeFlow({
        id: 'owner',
        pendingTimeout: 'PT8H',
        approval: {
          stages: [
            {
              approvers: ['owners'],
              minApprovals: 2,
              escalation: {
                after: 'PT2H',
                approvers: ['group:default/security'],
              },
            },
          ],
          requireReason: 'none',
          allowSelfApproval: false,
          remindBefore: 'PT1H',
        },
      }),
    ];
    const resources = new ResourceCatalog({
      catalog,
      auth,
      configResources: [makeResource('payments-db')],
    });
    const notifier = new AccessNotifier({ send }, mockServices.logger.mock());
    const service = new RequestService({
      stores: store,
      flows,
      bundles: [],
      resources,
      catalog,
      auth,
      notifier,
      now: () => now,
    });
    const reminders = new ApprovalReminders({
      stores: store,
      flows,
      resources,
      catalog,
      auth,
      notifier,
      now: () => now,
    });
    return { service, reminders, send, advance, db: store.db };
  }

  it.each(databases.eachSupportedId())(
    'reminds undecided approvers once per stage, then escalates a stage that waited too long, on %p',
    async databaseId => {
      const { service, reminders, send, advance } = await setup(databaseId);
      const { requests } = await service.submit(dana, {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
      });
      const id = requests[0].id;
      await service.decide(lee, id, 'approve', undefined); // 1 of 2
      send.mockClear();

      advance(2 * 3600_000 - 1);
      expect(await reminders.run()).toEqual({ reminded: 0, escalated: 0 });

      advance(1); // the stage has waited 2 hours: security may decide too
      expect(await reminders.run()).toEqual({ reminded: 0, escalated: 1 });
      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ['user:default/riley'] },
        payload: expect.objectContaining({
          title: 'An access request was escalated to you',
          link: `/access/requests/${id}`,
        }),
      });
      const escalated = await service.get(riley, id);
      expect(escalated.approvers).toContainEqual({
        stage: 0,
        entityRef: 'user:default/riley',
        why: "escalated after PT2H waiting: member of group:default/security, approver of stage 1 of flow 'owner'",
      });
      expect(await reminders.run()).toEqual({ reminded: 0, escalated: 0 });
      send.mockClear();

      advance(5 * 3600_000); // one hour before the timeout
      expect(await reminders.run()).toEqual({ reminded: 1, escalated: 0 });
      // Those who have not decided, never the requester, nor lee who approved.
      expect(send).toHaveBeenCalledTimes(1);
      expect(send).toHaveBeenCalledWith({
        recipients: {
          type: 'entity',
          entityRef: ['user:default/riley', 'user:default/sam'],
        },
        payload: expect.objectContaining({
          title: 'Reminder: an access request is waiting for your decision',
          description: expect.stringContaining('2026-11-22T18:00:00.000Z'),
        }),
      });
      expect(await reminders.run()).toEqual({ reminded: 0, escalated: 0 });

      // The escalated approver completes the stage.
      const decided = await service.decide(riley, id, 'approve', undefined);
      expect(decided.status).toBe('granting');
      const audit = (await service.get(dana, id)).audit.map(e => e.action);
      expect(audit).toEqual([
        'submit',
        'approve',
        'escalate',
        'remind',
        'approve',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'looks at every pending request, a page at a time, on %p',
    async databaseId => {
      const { service, reminders, advance } = await setup(databaseId);
      for (let i = 0; i < 3; i++) {
        await service.submit(dana, {
          items: [{ resourceRef: 'payments-db', permission: 'read' }],
        });
      }
      advance(7 * 3600_000); // past the reminder time and the escalation of all three
      expect(await reminders.run(2)).toEqual({ reminded: 3, escalated: 3 });
      expect(await reminders.run(2)).toEqual({ reminded: 0, escalated: 0 });
    },
  );

  it.each(databases.eachSupportedId())(
    'reads no request that is not due, however many wait, on %p',
    async databaseId => {
      const { service, reminders, advance, db } = await setup(databaseId);
      for (let i = 0; i < 20; i++) {
        await service.submit(dana, {
          items: [{ resourceRef: 'payments-db', permission: 'read' }],
        });
      }
      let requestRowsRead = 0;
      const count = (rows: unknown, query: { sql: string }) => {
        if (/from .access_requests./.test(query.sql) && Array.isArray(rows)) {
          requestRowsRead += rows.length;
        }
      };
      db.on('query-response', count);
      try {
        advance(2 * 3600_000 - 1); // neither the escalation nor the reminder is due yet
        expect(await reminders.run()).toEqual({ reminded: 0, escalated: 0 });
        expect(requestRowsRead).toBe(0);
        advance(1);
        expect(await reminders.run()).toEqual({ reminded: 0, escalated: 20 });
        expect(requestRowsRead).toBeGreaterThanOrEqual(20);
      } finally {
        db.off('query-response', count);
      }
    },
  );
});
