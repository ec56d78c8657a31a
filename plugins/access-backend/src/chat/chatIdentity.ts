import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessChatChannelId,
  AccessChatIdentity,
  AccessChatUser,
} from '@jit-access/plugin-access-node';

/**
 * The User entity annotations that name a person's chat user id. Slack: our key and the one
 * Backstage's Slack notifications module uses; Teams: the key Backstage's Microsoft Graph org
 * provider writes (the AAD object id).
 */
export const CHAT_USER_ANNOTATIONS: Record<AccessChatChannelId, string[]> = {
  slack: ['slack.com/user_id', 'slack.com/bot-notify'],
  teams: ['graph.microsoft.com/user-id'],
};

/** A User entity as a chat channel sees it. */
export function chatUserOf(entity: Entity): AccessChatUser {
  const profile = (entity.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  return {
    entityRef: stringifyEntityRef(entity),
    displayName:
      profile.displayName ?? entity.metadata.title ?? entity.metadata.name,
    ...(profile.email ? { email: profile.email } : {}),
    annotations: { ...entity.metadata.annotations },
  };
}

/**
 * Catalog Users for chat: by ref (to address a message) and by chat identity (to know who
 * clicked). A chat identity matches one User by the channel's annotation, else by e-mail; no
 * match, or more than one, is no one.
 */
export class ChatDirectory {
  constructor(
    private readonly deps: { catalog: CatalogService; auth: AuthService },
  ) {}

  private async credentials() {
    return { credentials: await this.deps.auth.getOwnServiceCredentials() };
  }

  /** Users by ref (refs of other kinds, and unknown ones, are left out). */
  async users(refs: string[]): Promise<Map<string, AccessChatUser>> {
    const wanted = [...new Set(refs)].filter(ref => ref.startsWith('user:'));
    if (wanted.length === 0) {
      return new Map();
    }
    const { items } = await this.deps.catalog.getEntitiesByRefs(
      { entityRefs: wanted },
      await this.credentials(),
    );
    const found = items.filter((e): e is Entity => Boolean(e)).map(chatUserOf);
    return new Map(found.map(user => [user.entityRef, user]));
  }

  /** A person's display name, else their ref. */
  async names(refs: string[]): Promise<Map<string, string>> {
    const users = await this.users(refs);
    return new Map(refs.map(ref => [ref, users.get(ref)?.displayName ?? ref]));
  }

  /** The one catalog User behind a chat user, or undefined. */
  async resolve(
    identity: AccessChatIdentity,
  ): Promise<AccessChatUser | undefined> {
    const chatUserId = identity.chatUserId.trim();
    if (!chatUserId) {
      return undefined;
    }
    for (const annotation of CHAT_USER_ANNOTATIONS[identity.channel] ?? []) {
      const match = await this.single({
        kind: 'user',
        [`metadata.annotations.${annotation}`]: chatUserId,
      });
      if (match !== 'none') {
        return match === 'many' ? undefined : match;
      }
    }
    const email =
      typeof identity.email === 'function'
        ? await identity.email()
        : identity.email;
    if (!email?.trim()) {
      return undefined;
    }
    const match = await this.single({
      kind: 'user',
      'spec.profile.email': email.trim(),
    });
    return typeof match === 'string' ? undefined : match;
  }

  private async single(
    filter: Record<string, string>,
  ): Promise<AccessChatUser | 'none' | 'many'> {
    const { items } = await this.deps.catalog.getEntities(
      { filter, limit: 2 },
      await this.credentials(),
    );
    if (items.length === 0) {
      return 'none';
    }
    return items.length > 1 ? 'many' : chatUserOf(items[0]);
  }
}
