/**
 * Reads and validates the `access` section of the app config: resources defined in config,
 * bundles and access flows. Everything is checked up front, and every problem is reported at
 * once with the exact place it was found.
 */
import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  AccessBundle,
  AccessFlow,
  AccessResource,
} from '@jit-access/plugin-access-common';
import {
  catalogAcceptanceShape,
  requireRefsOrNamespaces,
  toCatalogAcceptance,
} from '@jit-access/plugin-access-node';
import { Duration } from 'luxon';
import { z } from 'zod';
import type { CatalogTrust } from '../resources/trust';
import { splitModuleSections } from './moduleSections';
import { RateLimitsConfig, rateLimitsSchema } from './rateLimitsConfig';

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
const DEFAULT_PENDING_TIMEOUT = 'P7D';
const PRINCIPAL_KINDS = ['user', 'group'];

type IssuePath = (string | number)[];

interface Issue {
  path: IssuePath;
  message: string;
}

const validator = makeValidator();

/**
 * Parses and normalises an entity ref (`payments-db` becomes `resource:default/payments-db`),
 * or explains what is wrong with it.
 */
function normaliseEntityRef(
  value: string,
  defaultKind: string,
  allowedKinds?: string[],
): { ref: string } | { error: string } {
  let parsed;
  try {
    parsed = parseEntityRef(value, {
      defaultKind,
      defaultNamespace: 'default',
    });
  } catch {
    return {
      error: `Invalid entity ref '${value}': expected [<kind>:][<namespace>/]<name>`,
    };
  }
  if (!validator.isValidKind(parsed.kind)) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.kind}' is not a valid kind`,
    };
  }
  // Refs compare case-insensitively; catalog namespaces are lowercase DNS labels.
  if (
    !validator.isValidNamespace(parsed.namespace.toLocaleLowerCase('en-US'))
  ) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.namespace}' is not a valid namespace`,
    };
  }
  if (!validator.isValidEntityName(parsed.name)) {
    return {
      error: `Invalid entity ref '${value}': '${parsed.name}' is not a valid entity name`,
    };
  }
  const ref = stringifyEntityRef(parsed);
  const kind = ref.slice(0, ref.indexOf(':'));
  if (allowedKinds && !allowedKinds.includes(kind)) {
    return {
      error: `Entity ref '${value}' has kind '${kind}', expected one of: ${allowedKinds.join(
        ', ',
      )}`,
    };
  }
  return { ref };
}

// ---------------------------------------------------------------------------------------------
// Field schemas

const nonEmptyString = z.string().min(1, 'Must not be empty');

function nonEmptyList<T extends z.ZodTypeAny>(item: T) {
  return z.array(item).min(1, 'Must contain at least one entry');
}

/** An entity ref, normalised to `kind:namespace/name`. */
function entityRef(defaultKind: string, allowedKinds?: string[]) {
  return z.string().transform((value, ctx) => {
    const result = normaliseEntityRef(value, defaultKind, allowedKinds);
    if ('error' in result) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.error });
      return z.NEVER;
    }
    return result.ref;
  });
}

/** An approver: the word `owners`, or a user or group ref. */
const approver = z.string().transform((value, ctx) => {
  if (value === 'owners') {
    return value;
  }
  const result = normaliseEntityRef(value, 'group', PRINCIPAL_KINDS);
  if ('error' in result) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `${result.error} (or the word 'owners')`,
    });
    return z.NEVER;
  }
  return result.ref;
});

/** The length of an ISO-8601 duration in milliseconds, or undefined when it is not valid. */
function durationMillis(value: unknown): number | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  const duration = Duration.fromISO(value);
  return duration.isValid ? duration.toMillis() : undefined;
}

/** A positive ISO-8601 duration, e.g. `PT8H` or `P7D`. */
const isoDuration = z.string().superRefine((value, ctx) => {
  const millis = durationMillis(value);
  if (millis === undefined) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Invalid ISO-8601 duration '${value}' (e.g. PT8H, P1D)`,
    });
  } else if (!(millis > 0)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Duration '${value}' must be longer than zero`,
    });
  }
});

const regexPattern = z.string().superRefine((value, ctx) => {
  try {
    // eslint-disable-next-line no-new
    new RegExp(value);
  } catch (error) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Invalid regular expression '${value}': ${
        error instanceof Error ? error.message : String(error)
      }`,
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Resources and bundles

const resourceSchema = z
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

const bundleSchema = z
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

// ---------------------------------------------------------------------------------------------
// Flows

const RESOURCE_SELECTORS = ['refs', 'types', 'integrations', 'tags'] as const;

const resourceSelectorSchema = z
  .object({
    refs: z.array(entityRef('resource')).optional(),
    types: z.array(nonEmptyString).optional(),
    integrations: z.array(nonEmptyString).optional(),
    tags: z.array(nonEmptyString).optional(),
  })
  .strict()
  .superRefine((selector, ctx) => {
    if (!RESOURCE_SELECTORS.some(key => (selector[key]?.length ?? 0) > 0)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `Must select resources with at least one non-empty list among: ${RESOURCE_SELECTORS.join(
          ', ',
        )}`,
      });
    }
  })
  .transform(selector => {
    // Only the selectors that select something.
    const result: AccessFlow['resources'] = {};
    for (const key of RESOURCE_SELECTORS) {
      const values = selector[key];
      if (values && values.length > 0) {
        result[key] = values;
      }
    }
    return result;
  });

const approvalSchema = z
  .object({
    stages: z
      .array(
        z
          .object({
            approvers: nonEmptyList(approver),
            minApprovals: z.number().int().min(1).default(1),
            /** After `after` in this stage, these approvers may decide it too, and are told. */
            escalation: z
              .object({
                after: isoDuration,
                approvers: nonEmptyList(approver),
              })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .default([]),
    /** Approvers who have not decided are reminded this long before the pending timeout. */
    remindBefore: isoDuration.optional(),
    requireReason: z
      .enum(['none', 'reject', 'approve', 'both'])
      .default('none'),
    allowSelfApproval: z.boolean().default(false),
    allowSameApproverAcrossStages: z.boolean().default(false),
  })
  .strict();

const questionSchema = z
  .object({
    id: nonEmptyString,
    label: nonEmptyString,
    type: z.enum(['text', 'choice']),
    choices: z.array(nonEmptyString).optional(),
    required: z.boolean().default(false),
  })
  .strict()
  .superRefine((question, ctx) => {
    if (question.type === 'choice' && !question.choices?.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['choices'],
        message: "Required, with at least one entry, when type is 'choice'",
      });
    }
    if (question.type !== 'choice' && question.choices !== undefined) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['choices'],
        message: "Only allowed when type is 'choice'",
      });
    }
  });

const questionsSchema = z
  .array(questionSchema)
  .default([])
  .superRefine((questions, ctx) => {
    const seen = new Map<string, number>();
    questions.forEach((question, index) => {
      const first = seen.get(question.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [index, 'id'],
          message: `Duplicate question id '${question.id}' (also used by questions[${first}])`,
        });
      } else {
        seen.set(question.id, index);
      }
    });
  });

const flowSchema = z
  .object({
    id: nonEmptyString,
    title: nonEmptyString,
    description: z.string().optional(),
    requestors: z.array(entityRef('user', PRINCIPAL_KINDS)).optional(),
    resources: resourceSelectorSchema,
    permissions: nonEmptyList(nonEmptyString).optional(),
    durations: nonEmptyList(isoDuration),
    maxDuration: isoDuration.optional(),
    approval: approvalSchema.default({}),
    justification: z
      .object({
        required: z.boolean().default(false),
        minLength: z.number().int().min(0).default(0),
      })
      .strict()
      .default({}),
    ticket: z
      .object({
        required: z.boolean().default(false),
        types: z.array(nonEmptyString).default([]),
        pattern: regexPattern.optional(),
      })
      .strict()
      .default({}),
    questions: questionsSchema,
    extension: z
      .object({
        maxExtensions: z.number().int().min(0).default(0),
        requiresApproval: z.boolean().default(true),
      })
      .strict()
      .default({}),
    pendingTimeout: isoDuration.default(DEFAULT_PENDING_TIMEOUT),
    onBehalfOf: z.boolean().default(false),
    allowScheduledStart: z.boolean().default(false),
    /** An automatic flow (no stages) matches catalog entities only when this is true. */
    allowCatalogResources: z.boolean().optional(),
  })
  .strict()
  .superRefine((flow, ctx) => {
    if (flow.maxDuration === undefined) {
      return;
    }
    const max = durationMillis(flow.maxDuration);
    if (max === undefined) {
      return;
    }
    flow.durations.forEach((duration, index) => {
      const millis = durationMillis(duration);
      if (millis !== undefined && millis > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['durations', index],
          message: `Duration '${duration}' is longer than maxDuration '${flow.maxDuration}'`,
        });
      }
    });
  })
  .transform((f): AccessFlow => {
    const longest = f.durations.reduce((a, b) =>
      (durationMillis(b) ?? 0) > (durationMillis(a) ?? 0) ? b : a,
    );
    return {
      id: f.id,
      title: f.title,
      ...(f.description !== undefined && { description: f.description }),
      ...(f.requestors !== undefined && { requestors: f.requestors }),
      resources: f.resources,
      ...(f.permissions !== undefined && { permissions: f.permissions }),
      durations: f.durations,
      maxDuration: f.maxDuration ?? longest,
      approval: {
        stages: f.approval.stages.map(stage => ({
          approvers: stage.approvers,
          minApprovals: stage.minApprovals,
          ...(stage.escalation && { escalation: stage.escalation }),
        })),
        ...(f.approval.remindBefore !== undefined && {
          remindBefore: f.approval.remindBefore,
        }),
        requireReason: f.approval.requireReason,
        allowSelfApproval: f.approval.allowSelfApproval,
        allowSameApproverAcrossStages: f.approval.allowSameApproverAcrossStages,
      },
      justification: {
        required: f.justification.required,
        minLength: f.justification.minLength,
      },
      ticket: {
        required: f.ticket.required,
        types: f.ticket.types,
        ...(f.ticket.pattern !== undefined && { pattern: f.ticket.pattern }),
      },
      questions: f.questions.map(q => ({
        id: q.id,
        label: q.label,
        type: q.type,
        ...(q.choices !== undefined && { choices: q.choices }),
        required: q.required,
      })),
      extension: {
        maxExtensions: f.extension.maxExtensions,
        requiresApproval: f.extension.requiresApproval,
      },
      pendingTimeout: f.pendingTimeout,
      onBehalfOf: f.onBehalfOf,
      allowScheduledStart: f.allowScheduledStart,
      ...(f.allowCatalogResources !== undefined && {
        allowCatalogResources: f.allowCatalogResources,
      }),
    };
  });

const trustSchema = z
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

const engineSchema = z
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
    reconcileEvery: isoDuration.default('PT10M'),
  })
  .strict();

const accessConfigSchema = z
  .object({
    resources: z.array(resourceSchema).default([]),
    bundles: z.array(bundleSchema).default([]),
    flows: z.array(flowSchema).default([]),
    engine: engineSchema.default({}),
    credentials: z
      .object({
        /** Seals issued credentials at rest; at least 32 characters. */
        encryptionKey: z
          .string()
          .min(32, 'must be at least 32 characters long')
          .optional(),
        /** Without a key outside development and test: a random key per process. */
        dangerouslyAllowEphemeralKey: z.boolean().optional(),
      })
      .strict()
      .optional(),
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

export type EngineConfig = z.infer<typeof engineSchema>;

// ---------------------------------------------------------------------------------------------
// Checks across list entries, done on the raw input so that they are reported even when other
// entries have errors of their own.

function rawList(raw: unknown, key: string): unknown[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [];
  }
  const list = (raw as Record<string, unknown>)[key];
  return Array.isArray(list) ? list : [];
}

function rawField(entry: unknown, key: string): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return undefined;
  }
  return (entry as Record<string, unknown>)[key];
}

function duplicateIssues(
  raw: unknown,
  list: 'resources' | 'bundles' | 'flows',
  field: string,
  describe: string,
  normalise: (value: string) => string | undefined = value => value,
): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  rawList(raw, list).forEach((entry, index) => {
    const value = rawField(entry, field);
    const key =
      typeof value === 'string' && value !== '' ? normalise(value) : undefined;
    if (key === undefined) {
      return;
    }
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: [list, index, field],
        message: `Duplicate ${describe} '${key}' (also used by access.${list}[${first}])`,
      });
    } else {
      seen.set(key, index);
    }
  });
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Error messages

/** `access.flows[2] (id 'db-owner').approval.stages[0].minApprovals` */
function formatPath(raw: unknown, path: IssuePath): string {
  let result = 'access';
  path.forEach((segment, index) => {
    if (typeof segment === 'number') {
      result += `[${segment}]`;
      if (index === 1) {
        const labelField = path[0] === 'resources' ? 'ref' : 'id';
        const label = rawField(
          rawList(raw, String(path[0]))[segment],
          labelField,
        );
        if (typeof label === 'string' && label !== '') {
          result += ` (${labelField} '${label}')`;
        }
      }
    } else {
      result += `.${segment}`;
    }
  });
  return result;
}

function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return issue.keys.map(key => ({
        path: [...issue.path, key],
        message: 'Unknown field',
      }));
    }
    return [{ path: issue.path, message: issue.message }];
  });
}

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
