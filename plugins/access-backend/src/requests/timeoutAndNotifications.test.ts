import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { makeFlow, makeResource } from '../__testUtils__/fixtures';
import { createAccessTestDatabases } from '../__testUtils__/testDatabases';
import { AccessDatabase } from '../database/AccessDatabase';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { RequestingCaller, RequestService } from './RequestService';

const dana: RequestingCaller = {
  userEntityRef: 'user:default/dana',
  ownershipEntityRefs: ['user:default/dana', 'group:default/payments'],
  isAdmin: false,
};
const lee: RequestingCaller = {
  userEntityRef: 'user:default/lee',
  ownershipEntityRefs: ['user:default/lee', 'group:default/payments'],
  isAdmin: false,
};
const payments = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: [
    { type: 'hasMember', targetRef: 'user:default/dana' },
    { type: 'hasMember', targetRef: 'user:default/lee' },
  ],
};

describe('pending timeout and notifications', () => {
  const databases = createAccessTestDatabases();

  async function setup(databaseId: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(databaseId);
    const store = await AccessDatabase.create({
      database: mockServices.database({ knex }),
    });
    let now = new Date('2026-11-22T10:00:00.000Z');
    const send = jest.fn(async () => {});
    const catalog = catalogServiceMock({ entities: [payments] });
    const auth = mockServices.auth();
    const service = new RequestService({
      stores: store,
      flows: [
        makeFlow({
          id: 'owner',
          pendingTimeout: 'PT10M',
          approval: {
            stages: [{ approvers: ['owners'], minApprovals: 1 }],
            requireReason: 'none',
            allowSelfApproval: false,
          },
        }),
      ],
      bundles: [],
      resources: new ResourceCatalog({
        catalog,
        auth,
        configResources: [makeResource('payments-db')],
      }),
      catalog,
      auth,
      notifier: new AccessNotifier({ send }, mockServices.logger.mock()),
      now: () => now,
    });
    const advance = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    return { service, send, advance, knex };
  }

  it.each(databases.eachSupportedId())(
    'fails a request nobody decided within the pending timeout, and tells the requester, on %p',
    async databaseId => {
      const { service, send, advance } = await setup(databaseId);
      const { requests } = await service.submit(dana, {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
      });
      const id = requests[0].id;

      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ['user:default/lee'] },
        payload: expect.objectContaining({
          title: 'Access request waiting for your decision',
          link: `/access/requests/${id}`,
          scope: `access-request:${id}:approval`,
        }),
      });

      advance(10 * 60_000 - 1);
      expect(await service.failOverdue()).toBe(0);
      advance(1);
      expect(await service.failOverdue()).toBe(1);
      expect(await service.failOverdue()).toBe(0);

      const failed = await service.get(dana, id);
      expect(failed).toMatchObject({
        status: 'failed',
        statusReason: 'approval timed out',
        items: [{ status: 'cancelled' }],
      });
      expect(failed.audit.map(e => [e.action, e.actorRef])).toEqual([
        ['submit', 'user:default/dana'],
        ['timeout', 'plugin:access'],
      ]);
      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: ['user:default/dana'] },
        payload: expect.objectContaining({
          title: 'Your access request failed',
          description:
            'read on resource:default/payments-db: approval timed out',
          severity: 'high',
          scope: `access-request:${id}`,
        }),
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'updates the approvers’ notification instead of repeating it once decided, on %p',
    async databaseId => {
      const { service, send } = await setup(databaseId);
      const { requests } = await service.submit(dana, {
        items: [{ resourceRef: 'payments-db', permission: 'read' }],
      });
      const id = requests[0].id;
      send.mockClear();

      await service.decide(lee, id, 'approve', undefined);

      const payloads = (send.mock.calls as any[]).map(([options]) => [
        options.recipients.entityRef,
        options.payload.title,
        options.payload.scope,
      ]);
      expect(payloads).toEqual([
        [
          ['user:default/dana'],
          'Your access request was approved; access is being granted',
          `access-request:${id}`,
        ],
        [
          ['user:default/dana', 'user:default/lee'],
          'Access request approved by user:default/lee',
          `access-request:${id}:approval`,
        ],
      ]);
    },
  );
});
