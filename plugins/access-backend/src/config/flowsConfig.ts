/**
 * `access.flows`: which resources a flow offers to whom, for how long, and how a request through
 * it is approved, justified and extended.
 */
import type { AccessFlow } from '@jit-access/plugin-access-common';
import { z } from 'zod';
import {
  approver,
  durationMillis,
  entityRef,
  isoDuration,
  nonEmptyList,
  nonEmptyString,
  PRINCIPAL_KINDS,
  regexPattern,
} from './fields';

const DEFAULT_PENDING_TIMEOUT = 'P7D';

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

/** What AI assistants (through the plugin's actions) may request under the flow. */
const agentsSchema = z
  .object({
    requests: z.enum(['allow', 'approval', 'deny']).default('approval'),
    approvers: nonEmptyList(approver).optional(),
  })
  .strict()
  .superRefine((agents, ctx) => {
    if (agents.approvers && agents.requests !== 'approval') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['approvers'],
        message: `Only used when requests is 'approval' (it is '${agents.requests}')`,
      });
    }
  });

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

export const flowSchema = z
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
    agents: agentsSchema.optional(),
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
      ...(f.agents !== undefined && {
        agents: {
          requests: f.agents.requests,
          ...(f.agents.approvers && { approvers: f.agents.approvers }),
        },
      }),
    };
  });
