import { useApiHolder } from '@backstage/core-plugin-api';
import {
  EntityRefPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { shortRef } from './format';

/** An entity's name as plain text: a user's display name, a group's or resource's title. */
export type EntityTitle = (entityRef: string) => string;

/**
 * Names the entities `refs` as the catalog presents them, as plain strings for headings,
 * accessible names and sentences (where `EntityDisplayName`, a React node, cannot go). Answers
 * each presentation's snapshot at once (the entity's name while the catalog is asked), then
 * renders again with the resolved titles. Without a presentation API (an app without the
 * catalog plugin) or for a ref not asked about, the short name from the ref.
 */
export function useEntityTitles(
  refs: ReadonlyArray<string | undefined>,
): EntityTitle {
  const presentationApi = useApiHolder().get(entityPresentationApiRef);
  // The refs as a stable key: callers pass a new array on every render.
  const key = [...new Set(refs.filter(Boolean))].sort().join('\n');
  const presentations = useMemo(() => {
    const found = new Map<string, EntityRefPresentation>();
    if (!presentationApi || !key) return found;
    for (const ref of key.split('\n')) {
      try {
        found.set(ref, presentationApi.forEntity(ref));
      } catch {
        // Not a ref the catalog understands: it keeps its short name.
      }
    }
    return found;
  }, [presentationApi, key]);

  const [resolved, setResolved] = useState<ReadonlyMap<string, string>>(
    () => new Map(),
  );
  useEffect(() => {
    let live = true;
    presentations.forEach((presentation, ref) => {
      presentation.promise.then(
        ({ primaryTitle }) => {
          if (!live || !primaryTitle) return;
          setResolved(titles =>
            titles.get(ref) === primaryTitle
              ? titles
              : new Map(titles).set(ref, primaryTitle),
          );
        },
        () => {
          // The snapshot stays.
        },
      );
    });
    return () => {
      live = false;
    };
  }, [presentations]);

  return useCallback(
    (ref: string) =>
      resolved.get(ref) ??
      presentations.get(ref)?.snapshot.primaryTitle ??
      shortRef(ref),
    [resolved, presentations],
  );
}
