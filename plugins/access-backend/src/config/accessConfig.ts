/**
 * Reads and validates the `access` section of the app config: resources defined in config,
 * bundles and access flows. Everything is checked up front, and every problem is reported at
 * once with the exact place it was found.
 *
 * Each section's schema lives beside its concept: resourcesConfig (resources and bundles),
 * flowsConfig (flows), settingsConfig (engine, credentials, trust), rateLimitsConfig; the fields
 * they share are in fields, and how problems are reported in configIssues.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  AccessBundle,
  AccessFlow,
  AccessResource,
} from '@jit-access/plugin-access-common';
import { z } from 'zod';
import type { CatalogTrust } from '../resources/trust';
import { duplicateIssues, formatPath, Issue, zodIssues } from './configIssues';
import { normaliseEntityRef } from './fields';
import { flowSchema } from './flowsConfig';
import { splitModuleSections } from './moduleSections';
import { RateLimitsConfig, rateLimitsSchema } from './rateLimitsConfig';
import { bundleSchema, resourceSchema } from './resourcesConfig';
import {
  credentialsSchema,
  EngineConfig,
  engineSchema,
  trustSchema,
} from './settingsConfig';

export type { EngineConfig };

/** The validated, normalised and defaulted `access` config. */
export interface AccessConfig {
  resources: AccessResource[];
  bundles: AccessBundle[];
  flows: AccessFlow[];
  engine: EngineConfig;
  /** Checked against NODE_ENV by credentialVaultFromConfig (src/engine/credentialsKey.ts). */
  credentials?: {
    encryptionKey?: string;
    dangerouslyAllowEphemeralKey?: boolean;
  };
  /** Which catalog entities the operator accepts besides what each provisioner accepts. */
  trust: CatalogTrust;
  /** Per-user limits on submissions and decisions. */
  rateLimits: RateLimitsConfig;
}

const ERROR_PREFIX = 'Invalid access configuration:';

const accessConfigSchema = z
  .object({
    resources: z.array(resourceSchema).default([]),
    bundles: z.array(bundleSchema).default([]),
    flows: z.array(flowSchema).default([]),
    engine: engineSchema.default({}),
    credentials: credentialsSchema.optional(),
    // Read and validated by readAuditConfig (src/audit/auditConfig.ts).
    audit: z.unknown().optional(),
    // Read and validated by readJobSchedules (src/jobs/jobSchedules.ts).
    schedules: z.unknown().optional(),
    trust: trustSchema.default({}),
    rateLimits: rateLimitsSchema,
    // Other keys are the sections of provisioner modules, which validate them themselves:
    // see splitModuleSections for how they are told from mistyped core keys.
  })
  .strict();

/**
 * Reads the `access` section of the root config: resources, bundles and flows, with entity
 * refs normalised and defaults filled in. An absent section means empty lists.
 *
 * @throws InputError whose message starts with `Invalid access configuration:` and lists every
 *   problem found, one per line, each with its place, e.g.
 *   `access.flows[2] (id 'db-owner').approval.stages[0].minApprovals: Expected number, received string`.
 */
export function readAccessConfig(config: Config): AccessConfig {
  const raw = config.getOptional('access') ?? {};

  const sections = splitModuleSections(
    raw,
    Object.keys(accessConfigSchema.shape),
  );
  const result = accessConfigSchema.safeParse(sections.core);
  const issues: Issue[] = [
    ...(result.success ? [] : zodIssues(result.error)),
    ...sections.issues,
    ...duplicateIssues(raw, 'resources', 'ref', 'resource ref', value => {
      const normalised = normaliseEntityRef(value, 'resource');
      return 'ref' in normalised ? normalised.ref : undefined;
    }),
    ...duplicateIssues(raw, 'bundles', 'id', 'bundle id'),
    ...duplicateIssues(raw, 'flows', 'id', 'flow id'),
  ];

  if (issues.length > 0 || !result.success) {
    const lines = issues.map(
      issue => `${formatPath(raw, issue.path)}: ${issue.message}`,
    );
    throw new InputError([ERROR_PREFIX, ...lines].join('\n'));
  }
  const { trust, ...rest } = result.data;
  return {
    ...rest,
    // An automatic flow matches catalog entities only when it, or access.trust, says so.
    flows: rest.flows.map(flow =>
      flow.approval.stages.length === 0 &&
      flow.allowCatalogResources === undefined &&
      trust.automaticFlowsMatchCatalog
        ? { ...flow, allowCatalogResources: true }
        : flow,
    ),
    trust: { catalogResources: trust.catalogResources },
  };
}
