/**
 * The messaging endpoint's authentication, with the SDK's own JWT validation running against the
 * local authority's keys. The access plugin here is a stand-in that only records what reaches it
 * (the end-to-end tests run the real one): every refused token must leave it untouched.
 */
import { generateKeyPairSync } from 'crypto';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  AccessChatApprovalView,
  AccessChatChannel,
  AccessChatContext,
  accessChatChannelsExtensionPoint,
} from '@jit-access/plugin-access-node';
import teamsModule from './index';
import {
  CLIENT_ID,
  TENANT_ID,
  cardAction,
  postActivity,
  startTeamsFakes,
  TeamsFakes,
  teamsActivity,
} from './__testUtils__/teamsFakes';

const LEE = { id: '29:lee', aadObjectId: 'aad-lee', name: 'Lee Park' };
const SAM = { id: '29:sam', aadObjectId: 'aad-sam', name: 'Sam' };

const VIEW: AccessChatApprovalView = {
  requestId: 'req-1',
  requester: { entityRef: 'user:default/dana', displayName: 'Dana' },
  items: [
    {
      resourceRef: 'resource:default/payments-db',
      resourceTitle: 'Payments DB',
      permission: 'read',
    },
  ],
  durationText: '1 hour',
  flow: { id: 'standard', title: 'Standard' },
  stage: { number: 1, count: 1 },
  link: 'http://localhost:3000/access/requests/req-1',
  reasonRequired: { approve: false, reject: false },
};

describe('the Teams messaging endpoint', () => {
  let fakes: TeamsFakes;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const decisions: unknown[] = [];
  let channel: AccessChatChannel | undefined;

  const context: AccessChatContext = {
    portalBaseUrl: 'http://localhost:3000',
    async resolveChatUser(identity) {
      if (identity.chatUserId === SAM.aadObjectId) {
        const email =
          typeof identity.email === 'function'
            ? await identity.email()
            : identity.email;
        return email === 'sam@example.com'
          ? {
              entityRef: 'user:default/sam',
              displayName: 'Sam',
              annotations: {},
            }
          : undefined;
      }
      return identity.chatUserId === LEE.aadObjectId
        ? {
            entityRef: 'user:default/lee',
            displayName: 'Lee Park',
            annotations: {},
          }
        : undefined;
    },
    async decide(requestId, decision, reason, decider) {
      decisions.push({ requestId, decision, reason, decider });
      return {
        ok: true,
        view: {
          ...VIEW,
          outcome: {
            kind: 'approved',
            status: 'granting',
            summary: 'Approved by Lee Park in Teams',
          },
        },
      };
    },
    async getApprovalView() {
      return VIEW;
    },
    async reasonRequired() {
      return false;
    },
  };

  beforeAll(async () => {
    fakes = await startTeamsFakes();
    const plugin = createBackendPlugin({
      pluginId: 'access',
      register(env) {
        env.registerExtensionPoint(accessChatChannelsExtensionPoint, {
          addChatChannel(...added) {
            channel = added[0];
          },
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    backend = await startTestBackend({
      features: [
        plugin,
        teamsModule,
        mockServices.rootConfig.factory({
          data: { access: { chat: { teams: fakes.teamsConfig } } },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await fakes?.close();
  });

  beforeEach(() => {
    decisions.length = 0;
  });

  it('answers 503 until the access plugin has connected the channel', async () => {
    const res = await postActivity(
      backend.server,
      fakes,
      teamsActivity(fakes, LEE, { type: 'message', text: 'hi' }),
    );
    expect(res.status).toBe(503);
    channel!.connect(context);
  });

  it('accepts a token signed by the authority for the bot, and answers through the connector', async () => {
    const res = await postActivity(
      backend.server,
      fakes,
      teamsActivity(fakes, LEE, { type: 'message', text: 'hi' }),
    );
    expect(res.status).toBe(200);
    // The reply went out with the bot's own token, which the authority issued for its secret.
    expect(fakes.authority.issued.map(t => t.scope)).toContain(
      'https://api.botframework.com/.default',
    );
    expect(fakes.connector.sent.at(-1)?.body.text).toContain(
      'http://localhost:3000/access',
    );
  });

  it('decides a card action as the catalog User behind the Teams user', async () => {
    const res = await postActivity(
      backend.server,
      fakes,
      cardAction(fakes, LEE, 'access.approve', {
        requestId: 'req-1',
        reason: ' ok ',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body.statusCode).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(res.body.value)).toContain(
      'Approved by Lee Park in Teams',
    );
    expect(decisions).toEqual([
      {
        requestId: 'req-1',
        decision: 'approve',
        reason: 'ok',
        decider: {
          channel: 'teams',
          chatUserId: 'aad-lee',
          deciderRef: 'user:default/lee',
        },
      },
    ]);
  });

  const approve = () =>
    cardAction(fakes, LEE, 'access.approve', { requestId: 'req-1' });

  it.each([
    ['no token', () => null],
    ['a token for another audience', () => ({ audience: 'another-bot' })],
    [
      'a token signed by an unknown key',
      () => ({
        signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 })
          .privateKey,
      }),
    ],
    ['an expired token', () => ({ expiresIn: -3600 })],
    [
      'a token from another issuer',
      () => ({ issuer: `https://login.example.com/${TENANT_ID}/v2.0` }),
    ],
    ['a token that is not a JWT', () => 'not-a-token'],
  ])('refuses %s with 401 and decides nothing', async (_name, token) => {
    const res = await postActivity(
      backend.server,
      fakes,
      approve(),
      token() as any,
    );
    expect(res.status).toBe(401);
    expect(decisions).toEqual([]);
  });

  it('refuses an activity whose serviceUrl is not the one its token names', async () => {
    const sentBefore = fakes.connector.sent.length;
    const res = await postActivity(backend.server, fakes, {
      ...approve(),
      serviceUrl: 'https://attacker.example/teams/',
    });
    expect(res.status).toBe(400);
    expect(decisions).toEqual([]);
    expect(fakes.connector.sent.length).toBe(sentBefore);
  });

  it('refuses a card action from another tenant, and one of a user with no catalog match', async () => {
    const foreign = cardAction(fakes, LEE, 'access.approve', {
      requestId: 'req-1',
    });
    (foreign as any).channelData = { tenant: { id: 'another-tenant' } };
    const res = await postActivity(backend.server, fakes, foreign);
    expect(res.body).toMatchObject({
      statusCode: 403,
      type: 'application/vnd.microsoft.error',
    });

    const stranger = cardAction(
      fakes,
      { id: '29:x', aadObjectId: 'aad-x' },
      'access.approve',
      { requestId: 'req-1' },
    );
    const res2 = await postActivity(backend.server, fakes, stranger);
    expect(res2.body).toMatchObject({
      statusCode: 403,
      type: 'application/vnd.microsoft.error',
    });
    expect(res2.body.value.message).toContain('not linked');
    expect(decisions).toEqual([]);
  });

  it('finds the catalog User by the e-mail Teams gives for the member when no annotation matches', async () => {
    fakes.connector.members.set(SAM.id, { email: 'sam@example.com' });
    const res = await postActivity(
      backend.server,
      fakes,
      cardAction(fakes, SAM, 'access.reject', { requestId: 'req-1' }),
    );
    expect(res.body.statusCode).toBe(200);
    expect(decisions).toEqual([
      expect.objectContaining({
        decision: 'reject',
        decider: {
          channel: 'teams',
          chatUserId: 'aad-sam',
          deciderRef: 'user:default/sam',
        },
      }),
    ]);
  });

  it('answers a card action it does not know with the card error', async () => {
    const res = await postActivity(
      backend.server,
      fakes,
      cardAction(fakes, LEE, 'access.delete', { requestId: 'req-1' }),
    );
    expect(res.body).toMatchObject({
      statusCode: 400,
      type: 'application/vnd.microsoft.error',
    });
    expect(decisions).toEqual([]);
  });

  it('accepts a token for the bot from the authority, given explicitly', async () => {
    const token = await fakes.authority.signActivityToken({
      audience: CLIENT_ID,
      serviceUrl: fakes.connector.url,
    });
    const res = await postActivity(backend.server, fakes, approve(), token);
    expect(res.status).toBe(200);
  });
});
