/** `access.resources` and `access.bundles`: resources defined in config, and named sets of them. */
import type {
  AccessBundle,
  AccessResource,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import {
  entityRef,
  nonEmptyList,
  nonEmptyString,
  PRINCIPAL_KINDS,
} from './fields';

export const resourceSchema = z
  .object({
    ref: entityRef('resource'),
    title: nonEmptyString,
    type: nonEmptyString,
    integration: nonEmptyString,
    permissions: nonEmptyList(nonEmptyString),
    owners: z.array(entityRef('group', PRINCIPAL_KINDS)),
    tags: z.array(nonEmptyString).default([]),
    description: z.string().optional(),
  })
  .strict()
  .transform(
    (r): AccessResource => ({
      ref: r.ref,
      title: r.title,
      type: r.type,
      ...(r.description !== undefined && { description: r.description }),
      integration: r.integration,
      permissions: r.permissions,
      owners: r.owners,
      tags: r.tags,
      source: 'config',
    }),
  );

export const bundleSchema = z
  .object({
    id: nonEmptyString,
    title: nonEmptyString,
    description: z.string().optional(),
    items: nonEmptyList(
      z
        .object({
          resource: entityRef('resource'),
          permission: nonEmptyString,
        })
        .strict(),
    ),
  })
  .strict()
  .transform(
    (b): AccessBundle => ({
      id: b.id,
      title: b.title,
      ...(b.description !== undefined && { description: b.description }),
      items: b.items.map(item => ({
        resourceRef: item.resource,
        permission: item.permission,
      })),
    }),
  );
