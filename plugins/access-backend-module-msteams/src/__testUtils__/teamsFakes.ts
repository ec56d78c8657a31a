/**
 * The local Microsoft side of the tests, started together: a certificate, the fake authority,
 * the fake Bot Connector service, this process's trust in them, and helpers that post activities
 * to the real messaging endpoint as Azure Bot Service does (a bearer token on every request).
 */
import { randomUUID } from 'crypto';
import request from 'supertest';
import {
  ActivityTokenOptions,
  FakeAuthority,
  startFakeAuthority,
} from './fakeAuthority';
import { FakeConnector, startFakeConnector } from './fakeConnector';
import { makeLocalCertificate, trustLocally } from './localTls';

export const TENANT_ID = '8f2a1c3e-5b7d-4e9f-a1c3-5b7d9e1f3a5c';
export const CLIENT_ID = '3c5e7a9b-1d3f-4a6c-8e0b-2d4f6a8c0e1b';
export const CLIENT_SECRET = 'bot-secret-for-tests';
export const MESSAGES_URL = '/api/access/chat/teams/messages';

export interface TeamsFakes {
  authority: FakeAuthority;
  connector: FakeConnector;
  /** `access.chat.teams` for these fakes. */
  teamsConfig: {
    clientId: string;
    clientSecret: string;
    tenantId: string;
    authorityEndpoint: string;
    serviceUrl: string;
  };
  close(): Promise<void>;
}

export async function startTeamsFakes(): Promise<TeamsFakes> {
  const certificate = makeLocalCertificate();
  const authority = await startFakeAuthority({
    certificate,
    tenantId: TENANT_ID,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  const connector = await startFakeConnector({
    certificate,
    verifyBotToken: token => authority.verifyBotToken(token),
  });
  const untrust = trustLocally(certificate, {
    'https://login.microsoftonline.com': authority.url,
  });
  return {
    authority,
    connector,
    teamsConfig: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tenantId: TENANT_ID,
      authorityEndpoint: authority.url,
      serviceUrl: connector.url,
    },
    async close() {
      await untrust();
      await connector.close();
      await authority.close();
    },
  };
}

export interface TeamsUserRef {
  /** Teams' own id of the user for this bot (`29:...`). */
  id: string;
  aadObjectId?: string;
  name?: string;
}

/** An activity as Teams sends it, in a one-to-one chat of the bot's tenant. */
export function teamsActivity(
  fakes: TeamsFakes,
  from: TeamsUserRef,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: fakes.connector.url,
    timestamp: new Date().toISOString(),
    from,
    recipient: { id: `28:${CLIENT_ID}`, name: 'Access' },
    conversation: {
      id: `a:chat-with-${from.id}`,
      conversationType: 'personal',
      tenantId: TENANT_ID,
    },
    channelData: { tenant: { id: TENANT_ID } },
    ...fields,
  };
}

/** The `adaptiveCard/action` invoke of a press of Approve or Reject. */
export function cardAction(
  fakes: TeamsFakes,
  from: TeamsUserRef,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
): Record<string, unknown> {
  return teamsActivity(fakes, from, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    ...(replyToId && { replyToId }),
    value: {
      action: { type: 'Action.Execute', verb, data },
      trigger: 'manual',
    },
  });
}

/** Posts an activity to the endpoint with a token from the fake authority (or none). */
export async function postActivity(
  server: Parameters<typeof request>[0],
  fakes: TeamsFakes,
  activity: Record<string, unknown>,
  token: ActivityTokenOptions | string | null = {},
) {
  let bearer: string | undefined;
  if (typeof token === 'string') {
    bearer = token;
  } else if (token) {
    bearer = await fakes.authority.signActivityToken({
      serviceUrl: fakes.connector.url,
      ...token,
    });
  }
  const call = request(server)
    .post(MESSAGES_URL)
    .set('Content-Type', 'application/json');
  if (bearer) {
    call.set('Authorization', `Bearer ${bearer}`);
  }
  return call.send(JSON.stringify(activity));
}
