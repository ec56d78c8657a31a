/**
 * End to end: the real access plugin and this module on SQLite and PostgreSQL; tokens signed by
 * the local authority posted to the real messaging endpoint; the SDK sending through the fake
 * Bot Connector service with the bot's own token. A request is approved from Teams and really
 * granted, every approver's card is updated, the requester hears back; whatever the portal
 * refuses is refused here too, and nothing is decided by it.
 */
import { generateKeyPairSync } from 'crypto';
import { MsalTokenProvider } from '@microsoft/agents-hosting';
import {
  createTestDatabases,
  eventually,
  memoryProvisioner,
  startAccessWithTeams,
} from './__testUtils__/accessWithTeams';
import {
  cardAction,
  postActivity,
  startTeamsFakes,
  TeamsFakes,
  TENANT_ID,
} from './__testUtils__/teamsFakes';

jest.setTimeout(90_000);

const teamsUser = (name: string, aadObjectId: string) => ({
  id: `29:${name}`,
  aadObjectId,
  name,
});
const DANA = teamsUser('dana', 'aad-dana');
const LEE = teamsUser('lee', 'aad-lee');
const PAT = teamsUser('pat', 'aad-pat');
const SAM = teamsUser('sam', 'aad-sam');
const GHOST = teamsUser('ghost', 'aad-ghost');
const RILEY = teamsUser('riley', 'aad-riley-unannotated');

describe('Microsoft Teams, end to end', () => {
  const databases = createTestDatabases();
  let fakes: TeamsFakes;

  beforeAll(async () => {
    fakes = await startTeamsFakes();
    // Riley's User entity has no object id: Teams gives her e-mail for the member.
    fakes.connector.members.set(RILEY.id, { email: 'riley@example.com' });
  });
  afterAll(async () => {
    await fakes?.close();
  });
  afterEach(() => MsalTokenProvider.clearSharedCaches());

  /** The approval card sent to a person for a request, and its conversation. */
  const cardFor = (aadObjectId: string, requestId: string) => {
    const conversation = fakes.connector.conversations.find(
      c =>
        c.body.members?.[0]?.id === aadObjectId &&
        fakes.connector.sent.some(
          s =>
            s.conversationId === c.id &&
            JSON.stringify(s.body).includes(`"requestId":"${requestId}"`),
        ),
    );
    const sent = conversation
      ? fakes.connector.sent.find(
          s =>
            s.conversationId === conversation.id &&
            JSON.stringify(s.body).includes(requestId),
        )
      : undefined;
    return sent;
  };
  const updatesOf = (activityId: string) =>
    fakes.connector.updated.filter(u => u.activityId === activityId);
  const cardJson = (activity: { body: any }) =>
    JSON.stringify(activity.body.attachments[0].content);

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('approves from Teams, grants, updates every card and tells the requester; refuses the rest', async () => {
      const { provisioner, calls } = memoryProvisioner();
      const { as, auditor, server, stop } = await startAccessWithTeams({
        knex: await databases.init(databaseId),
        fakes,
        provisioner,
      });
      try {
        const submitted = await as('dana').post('/requests', {
          items: [
            { resourceRef: 'resource:default/payments-db', permission: 'read' },
          ],
          justification: 'Investigate failed payouts in INC-42',
          duration: 'PT1H',
        });
        expect(submitted.status).toBe(201);
        const id: string = submitted.body.requests[0].id;

        // Both owners other than the requester get the card, in their own one-to-one chat.
        const leeCard = await eventually(() => cardFor('aad-lee', id));
        const patCard = await eventually(() => cardFor('aad-pat', id));
        expect(cardFor('aad-dana', id)).toBeUndefined();
        const leeConversation = fakes.connector.conversations.find(
          c => c.id === leeCard.conversationId,
        )!;
        expect(leeConversation.body).toMatchObject({
          isGroup: false,
          tenantId: TENANT_ID,
          members: [{ id: 'aad-lee' }],
        });
        expect(cardJson(leeCard)).toContain('Dana Diaz asks for access.');
        expect(cardJson(leeCard)).toContain('"verb":"access.approve"');
        expect(cardJson(leeCard)).toContain(
          `http://portal.test/access/requests/${id}`,
        );

        const post = (activity: Record<string, unknown>, token?: any) =>
          postActivity(server, fakes, activity, token);
        const pending = async () => {
          const details = await as('lee').get(`/requests/${id}`);
          expect(details.body.status).toBe('pending_approval');
          expect(details.body.approvals.filter((a: any) => a.decision)).toEqual(
            [],
          );
        };

        // Tokens Azure Bot Service would never send: 401, nothing decided.
        const approveByLee = cardAction(
          fakes,
          LEE,
          'access.approve',
          { requestId: id },
          leeCard.activityId,
        );
        for (const token of [
          { audience: 'some-other-bot' },
          {
            signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 })
              .privateKey,
          },
          { expiresIn: -3600 },
          { issuer: `https://login.example.com/${TENANT_ID}/v2.0` },
          null,
        ]) {
          expect((await post(approveByLee, token)).status).toBe(401);
        }
        await pending();

        // The requester pressing Approve on her own request (had she the card).
        const own = await post(
          cardAction(fakes, DANA, 'access.approve', { requestId: id }),
        );
        expect(own.body).toMatchObject({
          statusCode: 403,
          type: 'application/vnd.microsoft.error',
          value: { message: 'You cannot decide on your own request' },
        });
        // Someone who is not an approver (nor may see the request).
        const stranger = await post(
          cardAction(fakes, SAM, 'access.approve', { requestId: id }),
        );
        expect(stranger.body).toMatchObject({
          statusCode: 404,
          type: 'application/vnd.microsoft.error',
          value: { message: `No request ${id}` },
        });
        // A Teams user no catalog User matches.
        const ghost = await post(
          cardAction(fakes, GHOST, 'access.approve', { requestId: id }),
        );
        expect(ghost.body).toMatchObject({ statusCode: 403 });
        expect(ghost.body.value.message).toContain(
          'not linked to a Backstage user',
        );
        // Reject without the reason the flow requires: asked for it, nothing decided.
        const noReason = await post(
          cardAction(
            fakes,
            LEE,
            'access.reject',
            { requestId: id, reason: '  ' },
            leeCard.activityId,
          ),
        );
        expect(noReason.body.type).toBe(
          'application/vnd.microsoft.card.adaptive',
        );
        expect(JSON.stringify(noReason.body.value)).toContain(
          'requires a reason to reject',
        );
        expect(JSON.stringify(noReason.body.value)).toContain(
          '"verb":"access.reject"',
        );
        await pending();

        const events = auditor.createEvent.mock.calls.map(([e]: any) => e);
        expect(events).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              eventId: 'request-decide',
              meta: expect.objectContaining({
                channel: 'teams',
                chatUserId: 'aad-dana',
                deciderRef: 'user:default/dana',
              }),
            }),
            expect.objectContaining({
              eventId: 'request-decide',
              meta: expect.objectContaining({ chatUserId: 'aad-sam' }),
            }),
            expect.objectContaining({
              eventId: 'chat-user-unmatched',
              meta: { channel: 'teams', chatUserId: 'aad-ghost' },
            }),
          ]),
        );

        // Lee approves: the card he pressed turns into the outcome at once.
        const approved = await post(
          cardAction(
            fakes,
            LEE,
            'access.approve',
            { requestId: id, reason: 'Matches INC-42' },
            leeCard.activityId,
          ),
        );
        expect(approved.status).toBe(200);
        expect(approved.body.type).toBe(
          'application/vnd.microsoft.card.adaptive',
        );
        expect(JSON.stringify(approved.body.value)).toContain(
          'Approved by Lee Park in Microsoft Teams',
        );
        expect(JSON.stringify(approved.body.value)).not.toContain(
          'Action.Execute',
        );

        // Really granted, through the provisioner.
        await eventually(
          async () =>
            (await as('dana').get(`/requests/${id}`)).body.status === 'active',
        );
        expect(calls).toContainEqual({
          action: 'grant',
          granteeRef: 'user:default/dana',
          resourceRef: 'resource:default/payments-db',
        });

        // Every approver's card is updated in place: buttons gone, who decided.
        for (const card of [leeCard, patCard]) {
          const update = await eventually(() =>
            updatesOf(card.activityId).at(-1),
          );
          expect(update.conversationId).toBe(card.conversationId);
          expect(cardJson(update)).toContain(
            'Approved by Lee Park in Microsoft Teams',
          );
          expect(cardJson(update)).not.toContain('Action.Execute');
        }
        // The requester hears back in Teams.
        const danaNews = await eventually(() =>
          fakes.connector.sent.find(s => {
            const c = fakes.connector.conversations.find(
              x => x.id === s.conversationId,
            );
            return (
              c?.body.members?.[0]?.id === 'aad-dana' &&
              JSON.stringify(s.body).includes('Access approved') &&
              JSON.stringify(s.body).includes(id)
            );
          }),
        );
        expect(cardJson(danaNews)).toContain(
          `http://portal.test/access/requests/${id}`,
        );

        // A second approver after the first decided: told who did, nothing changes.
        const late = await post(
          cardAction(
            fakes,
            PAT,
            'access.approve',
            { requestId: id },
            patCard.activityId,
          ),
        );
        expect(late.body.type).toBe('application/vnd.microsoft.card.adaptive');
        expect(JSON.stringify(late.body.value)).toContain(
          'decided by user:default/lee (approve)',
        );
        expect(JSON.stringify(late.body.value)).not.toContain('Action.Execute');

        // The audit trail names the channel and the Teams user beside the Backstage user.
        const details = await as('lee').get(`/requests/${id}`);
        expect(details.body.approvals).toEqual([
          expect.objectContaining({
            approverRef: 'user:default/lee',
            decision: 'approve',
            channel: 'teams',
            chatUserId: 'aad-lee',
          }),
        ]);
        expect(details.body.audit).toContainEqual(
          expect.objectContaining({
            actorRef: 'user:default/lee',
            action: 'approve',
            details: expect.objectContaining({
              channel: 'teams',
              chatUserId: 'aad-lee',
            }),
          }),
        );
      } finally {
        await stop();
      }
    });

    it('two stages by different people: stage one in the portal, stage two in Teams by e-mail identity', async () => {
      const { provisioner, calls } = memoryProvisioner();
      const { as, server, stop } = await startAccessWithTeams({
        knex: await databases.init(databaseId),
        fakes,
        provisioner,
      });
      try {
        const submitted = await as('dana').post('/requests', {
          items: [
            {
              resourceRef: 'resource:default/admin-console',
              permission: 'user',
            },
          ],
          justification: 'Rotate the admin keys for INC-7',
          duration: 'PT30M',
        });
        expect(submitted.status).toBe(201);
        const id: string = submitted.body.requests[0].id;
        const leeCard = await eventually(() => cardFor('aad-lee', id));
        expect(cardJson(leeCard)).toContain(
          'Team lead, then security, stage 1 of 2',
        );

        expect(
          (await as('lee').post(`/requests/${id}/approve`, {})).status,
        ).toBe(200);
        // Lee's card says stage one is done; he may not decide stage two.
        const leeUpdate = await eventually(() =>
          updatesOf(leeCard.activityId).at(-1),
        );
        expect(cardJson(leeUpdate)).not.toContain('Action.Execute');
        const again = await postActivity(
          server,
          fakes,
          cardAction(fakes, LEE, 'access.approve', { requestId: id }),
        );
        expect(again.body).toMatchObject({
          statusCode: 403,
          type: 'application/vnd.microsoft.error',
        });

        // Riley, known to Teams by her e-mail alone, decides stage two from Teams.
        const approved = await postActivity(
          server,
          fakes,
          cardAction(fakes, RILEY, 'access.approve', { requestId: id }),
        );
        expect(approved.body.type).toBe(
          'application/vnd.microsoft.card.adaptive',
        );
        expect(JSON.stringify(approved.body.value)).toContain('Riley Stone');
        await eventually(
          async () =>
            (await as('dana').get(`/requests/${id}`)).body.status === 'active',
        );
        expect(calls.map(c => c.action)).toEqual(['grant']);
        const details = await as('lee').get(`/requests/${id}`);
        expect(
          details.body.approvals.map((a: any) => [
            a.approverRef,
            a.stage,
            a.channel ?? 'portal',
          ]),
        ).toEqual([
          ['user:default/lee', expect.anything(), 'portal'],
          ['user:default/riley', expect.anything(), 'teams'],
        ]);
      } finally {
        await stop();
      }
    });
  });
});
