import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, RELATION_HAS_MEMBER } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessBundle,
  AccessFlow,
  AccessSuggestion,
  RequestChannel,
} from '@jit-access/plugin-access-common';
import { RequestHistory } from '../database/requests/RequestHistory';
import { Database } from '../database/requests/RequestStore';
import { Requester } from '../flows/matchFlows';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { ItemCount, rankSuggestions } from './rankSuggestions';

/** The limits of a need and of the suggestions asked for (HTTP and actions alike). */
export const MAX_NEED_LENGTH = 500;
export const MAX_SUGGESTIONS = 20;
export const DEFAULT_SUGGESTIONS = 5;

// Whose history counts as the team's: the members of at most this many of the caller's groups.
const MAX_GROUPS = 20;

export interface SuggestionServiceOptions {
  db: Database;
  resources: ResourceCatalog;
  bundles: AccessBundle[];
  flows: AccessFlow[];
  catalog: CatalogService;
  auth: AuthService;
}

/**
 * Gathers what the ranking needs (the requestable resources, the bundles and flows, what the
 * caller and the members of their groups asked for before) and ranks (rankSuggestions.ts).
 */
export class SuggestionService {
  private readonly history: RequestHistory;

  constructor(private readonly options: SuggestionServiceOptions) {
    this.history = new RequestHistory(options.db);
  }

  async suggest(
    requester: Requester,
    query: { q: string; limit: number },
    channel: RequestChannel,
  ): Promise<AccessSuggestion[]> {
    const me = requester.userEntityRef;
    const [resources, teammates] = await Promise.all([
      this.options.resources.list(),
      this.teammates(requester),
    ]);
    const counts = await this.history.countsBy([me, ...teammates]);
    const strip = ({ resourceRef, permission, count }: ItemCount) => ({
      resourceRef,
      permission,
      count,
    });
    return rankSuggestions({
      need: query.q,
      resources,
      bundles: this.options.bundles,
      flows: this.options.flows,
      requester,
      history: {
        mine: counts.filter(c => c.requesterRef === me).map(strip),
        team: counts.filter(c => c.requesterRef !== me).map(strip),
      },
      channel,
      limit: query.limit,
    });
  }

  /** The other members of the caller's groups, as the catalog knows them. */
  private async teammates(requester: Requester): Promise<string[]> {
    const groups = requester.ownershipEntityRefs
      .filter(
        ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
      )
      .slice(0, MAX_GROUPS);
    if (groups.length === 0) {
      return [];
    }
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs: groups, fields: ['relations'] },
      { credentials },
    );
    const members = new Set(
      items.flatMap(group =>
        (group?.relations ?? [])
          .filter(r => r.type === RELATION_HAS_MEMBER)
          .map(r => r.targetRef),
      ),
    );
    members.delete(requester.userEntityRef);
    return [...members];
  }
}
