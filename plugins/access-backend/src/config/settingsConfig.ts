/**
 * The settings sections of `access`: the provisioning engine, credentials sealed at rest, and
 * which catalog entities the operator trusts.
 */
import {
  catalogAcceptanceShape,
  requireRefsOrNamespaces,
  toCatalogAcceptance,
} from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { isoDuration, nonEmptyString } from './fields';

export const trustSchema = z
  .object({
    /** Catalog entities the operator accepts, per provisioner id. */
    catalogResources: z
      .array(
        z
          .object({ integration: nonEmptyString, ...catalogAcceptanceShape })
          .strict()
          .superRefine(requireRefsOrNamespaces)
          .transform(entry => ({
            integration: entry.integration,
            ...toCatalogAcceptance(entry),
          })),
      )
      .default([]),
    /** Whether automatic flows (no approval stages) match catalog entities unless they say. */
    automaticFlowsMatchCatalog: z.boolean().default(false),
  })
  .strict();

export const engineSchema = z
  .object({
    /** false: this instance serves the API only; others provision (or nobody does). */
    enabled: z.boolean().default(true),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(8),
        initialDelay: isoDuration.default('PT2S'),
        maxDelay: isoDuration.default('PT5M'),
      })
      .strict()
      .default({}),
    /** How long one provisioner call may take. */
    callTimeout: isoDuration.default('PT60S'),
    /** Per provisioner id: how long its calls may take instead of `callTimeout`. */
    callTimeouts: z.record(nonEmptyString, isoDuration).default({}),
    reconcileEvery: isoDuration.default('PT10M'),
  })
  .strict();

export type EngineConfig = z.infer<typeof engineSchema>;

/** Checked against NODE_ENV by credentialVaultFromConfig (src/engine/credentialsKey.ts). */
export const credentialsSchema = z
  .object({
    /** Seals issued credentials at rest; at least 32 characters. */
    encryptionKey: z
      .string()
      .min(32, 'must be at least 32 characters long')
      .optional(),
    /** Without a key outside development and test: a random key per process. */
    dangerouslyAllowEphemeralKey: z.boolean().optional(),
  })
  .strict();
