import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AccessResource } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import { normaliseEntityRef } from '../lib/entityRefs';
import { decodeCursor, encodeCursor, Page } from '../service/pagination';
import { INTEGRATION_ANNOTATION, resourceFromEntity } from './entityResource';

export interface ResourceQuery {
  /** Free text, matched against ref, title, description and tags. */
  q?: string;
  type?: string;
  permission?: string;
  integration?: string;
  /** Entity ref of an owner (kind defaults to group). */
  owner?: string;
  limit: number;
  cursor?: string;
}

const cursorSchema = z.object({ ref: z.string() });

/**
 * Everything requestable: catalog entities with the access annotations, `access.resources` from
 * config (which wins when both name the same ref), and what provisioners discover (which both
 * win over). Listing reads a snapshot of the catalog that is at most `maxAgeMs` old; `getByRefs`
 * always asks the catalog, for decisions.
 */
export class ResourceCatalog {
  private snapshot?: { at: number; resources: AccessResource[] };
  private inFlight?: Promise<AccessResource[]>;
  private readonly configByRef: Map<string, AccessResource>;
  private discoveredByRef = new Map<string, AccessResource>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      configResources: AccessResource[];
      maxAgeMs?: number;
      now?: () => number;
    },
  ) {
    this.configByRef = new Map(options.configResources.map(r => [r.ref, r]));
  }

  /** Replaces what the provisioners offered at their last discovery. */
  setDiscovered(resources: AccessResource[]): void {
    this.discoveredByRef = new Map(resources.map(r => [r.ref, r]));
    this.snapshot = undefined;
  }

  /** One page of the resources matching the query, in ref order. */
  async search(query: ResourceQuery): Promise<Page<AccessResource>> {
    const owner = query.owner
      ? normaliseEntityRef(query.owner, {
          defaultKind: 'group',
          field: 'owner',
        })
      : undefined;
    const after = query.cursor
      ? decodeCursor(query.cursor, cursorSchema).ref
      : undefined;
    const text = query.q?.trim().toLocaleLowerCase('en-US');

    const matches = (await this.list()).filter(
      r =>
        (!after || r.ref > after) &&
        (!query.type || r.type === query.type) &&
        (!query.integration || r.integration === query.integration) &&
        (!query.permission || r.permissions.includes(query.permission)) &&
        (!owner || r.owners.includes(owner)) &&
        (!text || searchableText(r).includes(text)),
    );
    const items = matches.slice(0, query.limit);
    const hasMore = matches.length > query.limit;
    return {
      items,
      nextCursor: hasMore
        ? encodeCursor({ ref: items[items.length - 1].ref })
        : undefined,
    };
  }

  /** All requestable resources, sorted by ref. */
  async list(): Promise<AccessResource[]> {
    const now = this.now();
    if (
      this.snapshot &&
      now - this.snapshot.at < (this.options.maxAgeMs ?? 30_000)
    ) {
      return this.snapshot.resources;
    }
    if (!this.inFlight) {
      this.inFlight = this.loadAll()
        .then(resources => {
          this.snapshot = { at: this.now(), resources };
          return resources;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /** The current state of the given resources, straight from config and the catalog. */
  async getByRefs(refs: string[]): Promise<Map<string, AccessResource>> {
    const found = new Map<string, AccessResource>();
    const fromCatalog: string[] = [];
    for (const ref of new Set(refs)) {
      const configured = this.configByRef.get(ref);
      if (configured) {
        found.set(ref, configured);
      } else {
        fromCatalog.push(ref);
      }
    }
    if (fromCatalog.length > 0) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: fromCatalog },
        { credentials: await this.options.auth.getOwnServiceCredentials() },
      );
      for (const entity of items) {
        const resource = entity && resourceFromEntity(entity);
        if (resource) {
          found.set(resource.ref, resource);
        }
      }
      for (const ref of fromCatalog) {
        const discovered = this.discoveredByRef.get(ref);
        if (discovered && !found.has(ref)) {
          found.set(ref, discovered);
        }
      }
    }
    return found;
  }

  private async loadAll(): Promise<AccessResource[]> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${INTEGRATION_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const byRef = new Map<string, AccessResource>(this.discoveredByRef);
    for (const entity of items) {
      const resource = resourceFromEntity(entity);
      if (resource) {
        byRef.set(resource.ref, resource);
      }
    }
    for (const [ref, resource] of this.configByRef) {
      byRef.set(ref, resource);
    }
    return [...byRef.values()].sort(compareRefs);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function searchableText(resource: AccessResource): string {
  return [
    resource.ref,
    resource.title,
    resource.description ?? '',
    ...resource.tags,
  ]
    .join('\n')
    .toLocaleLowerCase('en-US');
}

// Code-point order, the same order the cursor's `>` comparison pages in.
function compareRefs(a: AccessResource, b: AccessResource): number {
  if (a.ref === b.ref) {
    return 0;
  }
  return a.ref < b.ref ? -1 : 1;
}
