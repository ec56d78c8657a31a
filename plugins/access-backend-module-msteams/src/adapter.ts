/**
 * The Microsoft 365 Agents SDK's `CloudAdapter`, configured from `access.chat.teams` alone (never
 * from the process environment, which the SDK reads when it is given no connections):
 *
 * - incoming activities: the SDK's JWT middleware checks the Azure Bot Service token (signature
 *   against the authority's published keys, audience = the bot's client id, expiry, and the
 *   issuer, which the SDK checks only when asked: we always ask);
 * - outgoing calls: the SDK's MSAL token provider gets the bot's own token from the authority
 *   with the client id and secret, and its connector client calls the Bot Connector service;
 * - the SDK's outbound host policy is on: the bot's token goes only to Microsoft's connector
 *   hosts and the configured `serviceUrl`, and an activity's `serviceUrl` must match the
 *   `serviceurl` claim of its token.
 */
import {
  AuthConfiguration,
  CloudAdapter,
  OutboundHostValidator,
} from '@microsoft/agents-hosting';
import { TeamsChatConfig } from './config';

const CONNECTION = 'accessTeamsBot';

export function createTeamsAdapter(config: TeamsChatConfig): CloudAdapter {
  const connection: AuthConfiguration = {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    tenantId: config.tenantId,
    authorityEndpoint: config.authorityEndpoint,
    authority: config.authorityEndpoint,
    validateIssuer: true,
    ...(config.issuers && { issuers: config.issuers }),
  };
  const authConfig: AuthConfiguration = {
    ...connection,
    connections: new Map([[CONNECTION, connection]]),
    connectionsMap: [{ serviceUrl: '*', connection: CONNECTION }],
  };
  const hosts = new OutboundHostValidator({
    enabled: true,
    includeDefaultMicrosoftHosts: true,
    hosts: [new URL(config.serviceUrl).hostname],
  });
  return new CloudAdapter(authConfig, undefined, undefined, undefined, hosts);
}
