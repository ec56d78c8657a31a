import {
  AuditorService,
  AuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AccessChatChannel } from '@jit-access/plugin-access-node';
import { AccessStores } from '../database/AccessDatabase';
import { ChatOutbox } from '../notify/ChatOutbox';
import { RequestService } from '../requests/RequestService';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { ChatConnection } from './ChatConnection';
import { ChatDeliverer } from './ChatDeliverer';
import { ChatDirectory } from './chatIdentity';
import { ChatFacts } from './chatFacts';
import { readChatRetry, readExpiringSoonBefore } from './chatConfig';

/**
 * Starts chat for the installed channels: the delivery job over the outbox, and each channel's
 * connection (what its inbound endpoint decides through).
 */
export async function startChat(options: {
  channels: ReadonlyMap<string, AccessChatChannel>;
  config: Config;
  store: AccessStores;
  outbox: ChatOutbox;
  requests: RequestService;
  resources: ResourceCatalog;
  catalog: CatalogService;
  auth: AuthService;
  auditor: AuditorService;
  logger: LoggerService;
  takeDecision: (userRef: string) => Promise<void>;
  schedule: (fn: () => Promise<unknown>) => Promise<void>;
}): Promise<ChatDeliverer> {
  const { channels, config, requests, logger } = options;
  const expiringSoonMs = readExpiringSoonBefore(config);
  const retry = readChatRetry(config);
  const portalBaseUrl = config.getOptionalString('app.baseUrl');
  if (!portalBaseUrl) {
    throw new Error(
      'Access chat needs app.baseUrl, the portal address its messages link to',
    );
  }
  const directory = new ChatDirectory(options);
  const facts = new ChatFacts({
    directory,
    resources: options.resources,
    requests,
    portalBaseUrl,
  });
  const deliverer = new ChatDeliverer({
    store: options.store.chat,
    channels,
    requests,
    directory,
    facts,
    outbox: options.outbox,
    logger,
    expiringSoonMs,
    retry,
  });
  await options.schedule(() => deliverer.runNow());
  const connection = new ChatConnection({
    requests,
    directory,
    facts,
    auditor: options.auditor,
    logger,
    takeDecision: options.takeDecision,
    portalBaseUrl,
  });
  for (const channel of channels.values()) {
    channel.connect(connection);
  }
  logger.info(`Access chat channels: ${[...channels.keys()].join(', ')}`);
  return deliverer;
}
