/**
 * One request, two chats: stage one approved from Slack, stage two from Teams, by different
 * people, each through their module's real endpoint, with the real access plugin on SQLite and
 * PostgreSQL. The Slack card of the first approver and the Teams card of the second both end up
 * saying how it went.
 */
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- both chat modules in one backend
import slackModule from '@jit-access/plugin-access-backend-module-slack';
import { MsalTokenProvider } from '@microsoft/agents-hosting';
import request from 'supertest';
import {
  createTestDatabases,
  eventually,
  memoryProvisioner,
  startAccessWithTeams,
} from './__testUtils__/accessWithTeams';
import {
  FakeSlackApi,
  signedSlackClick,
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  startFakeSlackApi,
} from './__testUtils__/fakeSlackApi';
import {
  cardAction,
  postActivity,
  startTeamsFakes,
  TeamsFakes,
} from './__testUtils__/teamsFakes';

jest.setTimeout(90_000);

describe('stage one in Slack, stage two in Teams', () => {
  const databases = createTestDatabases();
  let fakes: TeamsFakes;
  let slack: FakeSlackApi;

  beforeAll(async () => {
    fakes = await startTeamsFakes();
    fakes.connector.members.set('29:riley', { email: 'riley@example.com' });
    slack = await startFakeSlackApi();
  });
  afterAll(async () => {
    await slack?.close();
    await fakes?.close();
  });
  afterEach(() => MsalTokenProvider.clearSharedCaches());

  it.each(databases.eachSupportedId())(
    'on %p: two people, two chats, one request granted',
    async databaseId => {
      const { provisioner, calls } = memoryProvisioner();
      const { as, server, stop } = await startAccessWithTeams({
        knex: await databases.init(databaseId),
        fakes,
        provisioner,
        features: [slackModule],
        chat: {
          slack: {
            botToken: SLACK_BOT_TOKEN,
            signingSecret: SLACK_SIGNING_SECRET,
            apiUrl: slack.url,
          },
        },
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

        // Lee, the team lead, is asked in Slack and in Teams; he approves stage one in Slack.
        await eventually(() =>
          slack.calls.find(
            c =>
              c.method === 'chat.postMessage' &&
              c.args.channel === 'ULEE' &&
              JSON.stringify(c.args).includes(id),
          ),
        );
        const click = signedSlackClick('ULEE', id);
        const clicked = await request(server)
          .post('/api/access/chat/slack/interactions')
          .set(click.headers)
          .send(click.body);
        expect(clicked.status).toBe(200);
        await eventually(async () => {
          const details = await as('lee').get(`/requests/${id}`);
          return details.body.approvals.some(
            (a: any) =>
              a.approverRef === 'user:default/lee' && a.channel === 'slack',
          );
        });

        // Lee may not decide stage two as well, from Teams.
        const lee = { id: '29:lee', aadObjectId: 'aad-lee' };
        const again = await postActivity(
          server,
          fakes,
          cardAction(fakes, lee, 'access.approve', { requestId: id }),
        );
        expect(again.body).toMatchObject({
          statusCode: 403,
          type: 'application/vnd.microsoft.error',
        });

        // Riley, security, approves stage two from Teams.
        const riley = { id: '29:riley', aadObjectId: 'aad-riley-unannotated' };
        const approved = await postActivity(
          server,
          fakes,
          cardAction(fakes, riley, 'access.approve', { requestId: id }),
        );
        expect(approved.body.type).toBe(
          'application/vnd.microsoft.card.adaptive',
        );
        await eventually(
          async () =>
            (await as('dana').get(`/requests/${id}`)).body.status === 'active',
        );
        expect(calls).toEqual([
          expect.objectContaining({
            action: 'grant',
            granteeRef: 'user:default/dana',
          }),
        ]);

        const details = await as('lee').get(`/requests/${id}`);
        expect(
          details.body.approvals.map((a: any) => [
            a.approverRef,
            a.channel,
            a.chatUserId,
          ]),
        ).toEqual([
          ['user:default/lee', 'slack', 'ULEE'],
          ['user:default/riley', 'teams', 'aad-riley-unannotated'],
        ]);
        // Lee's Slack message was updated in place: his stage is done, no buttons left.
        const update = await eventually(() =>
          slack.calls.find(
            c =>
              c.method === 'chat.update' &&
              String(c.args.text).includes(
                'Stage approved by Lee Park in Slack',
              ),
          ),
        );
        expect(JSON.stringify(update.args)).not.toContain('access.approve');
      } finally {
        await stop();
      }
    },
  );
});
