import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ApiRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityPresentationApiRef,
  EntityPresentationApi,
  EntityRefPresentationSnapshot,
} from '@backstage/plugin-catalog-react';

/** The demo catalog's people, groups and resources that the tests name. */
export const CATALOG_ENTITIES: Entity[] = [
  user('dana', 'Dana Developer'),
  user('lee', 'Lee Lead'),
  user('riley', 'Riley Security'),
  group('payments', 'Payments team'),
  resource('payments-db', 'Payments PostgreSQL database'),
  resource('demo-sandbox', 'Demo sandbox'),
];

function user(name: string, displayName: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName } },
  };
}

function group(name: string, title: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default', title },
    spec: { type: 'team', children: [] },
  };
}

function resource(name: string, title: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', title },
    spec: { type: 'database', owner: 'group:default/payments' },
  };
}

/**
 * A catalog API mock over `entities`, and an entity presentation API that names entities as the
 * app's does: a user by display name, anything else by title, else by name. Presentations start
 * from the ref's name and update once the catalog answers.
 */
export function catalogPresentationApis(
  entities: Entity[] = CATALOG_ENTITIES,
): Array<readonly [ApiRef<any>, any]> {
  const catalogApi = {
    getEntityByRef: jest.fn(async (ref: string) =>
      entities.find(
        e => stringifyEntityRef(e) === stringifyEntityRef(parseEntityRef(ref)),
      ),
    ),
  };
  const presentationApi: EntityPresentationApi = {
    forEntity(entityOrRef) {
      const entityRef =
        typeof entityOrRef === 'string'
          ? entityOrRef
          : stringifyEntityRef(entityOrRef);
      const snapshot: EntityRefPresentationSnapshot = {
        entityRef,
        primaryTitle: parseEntityRef(entityRef).name,
        secondaryTitle: entityRef,
      };
      const promise = catalogApi.getEntityByRef(entityRef).then(entity => ({
        ...snapshot,
        primaryTitle:
          (entity?.spec as any)?.profile?.displayName ??
          entity?.metadata.title ??
          snapshot.primaryTitle,
      }));
      return {
        snapshot,
        promise,
        update$: {
          subscribe(observer: any) {
            let closed = false;
            promise.then(value => {
              if (!closed) observer.next?.(value);
            });
            return {
              get closed() {
                return closed;
              },
              unsubscribe() {
                closed = true;
              },
            };
          },
        } as any,
      };
    },
  };
  return [
    [catalogApiRef, catalogApi],
    [entityPresentationApiRef, presentationApi],
  ];
}
