import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ACCESS_INTEGRATION_ANNOTATION,
  AccessResource,
  Page,
} from '@jit-access/plugin-access-common';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { normaliseEntityRef } from '../lib/entityRefs';
import { decodeCursor, encodeCursor } from '../lib/cursors';
import { resourceFromEntity } from './entityResource';
import { CatalogTrust, judgeResource, JudgedResource } from './trust';

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

/** A catalog entity nobody accepted, with the reason, for admins. */
export interface UnrequestableResource extends AccessResource {
  reason: string;
}

interface Snapshot {
  at: number;
  resources: AccessResource[];
  unrequestable: UnrequestableResource[];
}

/**
 * Everything requestable: catalog entities with the access annotations that their provisioner
 * (or the operator) accepts, `access.resources` from config (which wins when both name the same
 * ref), and what provisioners discover (which both win over). Catalog entities nobody accepted
 * are kept apart, with the reason, for admins (see `judgeResource`). Listing reads a snapshot of
 * the catalog that is at most `maxAgeMs` old; `getByRefs` always asks the catalog, for decisions.
 */
export class ResourceCatalog {
  private snapshot?: Snapshot;
  private inFlight?: Promise<Snapshot>;
  /** `<ref> <reason>` of the unrequestable entities already logged, to log each once. */
  private readonly logged = new Set<string>();
  private readonly configByRef: Map<string, AccessResource>;
  private discoveredByRef = new Map<string, AccessResource>();

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      configResources: AccessResource[];
      /** The installed provisioners: what each accepts from the catalog. Default none. */
      provisioners?: ReadonlyMap<string, AccessProvisioner>;
      /** What the operator accepts from the catalog besides. Default nothing. */
      trust?: CatalogTrust;
      logger?: LoggerService;
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
    return (await this.load()).resources;
  }

  /**
   * One page of the catalog entities that name a provisioner but may not be requested through
   * it, each with the reason, in ref order: for admins, who decide whether to accept them.
   */
  async unrequestable(query: {
    limit: number;
    cursor?: string;
  }): Promise<Page<UnrequestableResource>> {
    const after = query.cursor
      ? decodeCursor(query.cursor, cursorSchema).ref
      : undefined;
    const matches = (await this.load()).unrequestable.filter(
      r => !after || r.ref > after,
    );
    const items = matches.slice(0, query.limit);
    return {
      items,
      nextCursor:
        matches.length > query.limit
          ? encodeCursor({ ref: items[items.length - 1].ref })
          : undefined,
    };
  }

  private async load(): Promise<Snapshot> {
    const now = this.now();
    if (
      this.snapshot &&
      now - this.snapshot.at < (this.options.maxAgeMs ?? 30_000)
    ) {
      return this.snapshot;
    }
    if (!this.inFlight) {
      this.inFlight = this.loadAll()
        .then(snapshot => {
          this.snapshot = snapshot;
          return snapshot;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  /**
   * The given resources that may be requested, for a submission.
   *
   * @throws InputError naming each catalog entity that may not be requested, and why
   */
  async getRequestable(refs: string[]): Promise<Map<string, AccessResource>> {
    const found = await this.getByRefs(refs);
    const refused = [...found.values()].filter(r => r.unrequestableReason);
    if (refused.length > 0) {
      throw new InputError(
        `items: ${refused
          .map(r => `${r.ref} is not requestable: ${r.unrequestableReason}`)
          .join('; ')}`,
      );
    }
    return found;
  }

  /**
   * The current state of the given resources, straight from config and the catalog; a catalog
   * entity nobody accepted comes with its `unrequestableReason` (the engine still revokes what
   * was granted on it).
   */
  async getByRefs(refs: string[]): Promise<Map<string, JudgedResource>> {
    const found = new Map<string, JudgedResource>();
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
          found.set(resource.ref, this.judge(resource));
        }
      }
      for (const ref of fromCatalog) {
        const discovered = this.discoveredByRef.get(ref);
        // An entity nobody accepted does not hide what a provisioner offers itself.
        if (
          discovered &&
          (!found.has(ref) || found.get(ref)!.unrequestableReason)
        ) {
          found.set(ref, discovered);
        }
      }
    }
    return found;
  }

  private async loadAll(): Promise<Snapshot> {
    const { items } = await this.options.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${ACCESS_INTEGRATION_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
      },
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const byRef = new Map<string, AccessResource>(this.discoveredByRef);
    const unrequestable: UnrequestableResource[] = [];
    for (const entity of items) {
      const resource = resourceFromEntity(entity);
      if (!resource || this.configByRef.has(resource.ref)) {
        continue;
      }
      const { unrequestableReason, ...judged } = this.judge(resource);
      if (unrequestableReason) {
        unrequestable.push({ ...judged, reason: unrequestableReason });
      } else {
        byRef.set(resource.ref, judged);
      }
    }
    for (const [ref, resource] of this.configByRef) {
      byRef.set(ref, resource);
    }
    return {
      at: this.now(),
      resources: [...byRef.values()].sort(compareRefs),
      unrequestable: unrequestable.sort(compareRefs),
    };
  }

  private judge(resource: AccessResource): JudgedResource {
    const judged = judgeResource(
      resource,
      this.options.provisioners ?? new Map(),
      this.options.trust ?? { catalogResources: [] },
    );
    const key = `${judged.ref} ${judged.unrequestableReason}`;
    if (judged.unrequestableReason && !this.logged.has(key)) {
      this.logged.add(key);
      this.options.logger?.warn(
        `Catalog entity ${judged.ref} names the provisioner '${judged.integration}' but may not be requested: ${judged.unrequestableReason}`,
      );
    }
    return judged;
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
