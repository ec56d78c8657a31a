/**
 * Reads and validates the `access.manual` config: the provisioner id and the instruction templates
 * for the fulfilment tasks, in general and per resource.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  CatalogAcceptance,
  catalogAcceptanceConfigSchema,
  resourceRefConfigSchema,
} from '@jit-access/plugin-access-node';
import { z } from 'zod';
import { templateError } from './templates';

/** Instructions of their own for one resource; what is absent comes from the defaults. */
export interface ManualResourceInstructions {
  /** Normalised entity ref of the resource, e.g. `resource:default/payroll`. */
  resource: string;
  /** Template of the grant task's instructions for this resource. */
  grant?: string;
  /** Template of the revoke task's instructions for this resource. */
  revoke?: string;
}

/** The validated and defaulted `access.manual` config. */
export interface ManualProvisionerConfig {
  /** The provisioner id resources name as their integration. Default `manual`. */
  id: string;
  /** Templates used for resources without instructions of their own. */
  instructions: { grant: string; revoke: string };
  /** Resources with instructions of their own. */
  resources: ManualResourceInstructions[];
  /**
   * Catalog entities the owners agreed to fulfil by hand (`accepts`); absent: none, apart from
   * those in `resources`.
   */
  accepts?: CatalogAcceptance;
}

export const DEFAULT_MANUAL_PROVISIONER_ID = 'manual';
export const DEFAULT_GRANT_INSTRUCTIONS =
  'Give {grantee} {permission} access to {resource} until {end}.';
export const DEFAULT_REVOKE_INSTRUCTIONS =
  'Remove the {permission} access of {grantee} to {resource}.';

const ROOT_PATH = 'access.manual';

const nonEmpty = z
  .string({
    required_error: 'is required',
    invalid_type_error: 'must be a string',
  })
  .trim()
  .min(1, 'must not be empty');

/** An instruction template: not empty, and only known placeholders. */
const template = z
  .string({ invalid_type_error: 'must be a string' })
  .superRefine((value, ctx) => {
    if (value.trim() === '') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: 'must not be empty',
      });
      return;
    }
    const error = templateError(value);
    if (error) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: error });
    }
  });

const resourceSchema = z
  .object({
    resource: resourceRefConfigSchema,
    grant: template.optional(),
    revoke: template.optional(),
  })
  .strict()
  .refine(value => value.grant !== undefined || value.revoke !== undefined, {
    message: 'must set grant, revoke or both',
  });

const manualSchema = z
  .object({
    id: nonEmpty.default(DEFAULT_MANUAL_PROVISIONER_ID),
    instructions: z
      .object({
        grant: template.default(DEFAULT_GRANT_INSTRUCTIONS),
        revoke: template.default(DEFAULT_REVOKE_INSTRUCTIONS),
      })
      .strict()
      .default({}),
    resources: z.array(resourceSchema).default([]),
    accepts: catalogAcceptanceConfigSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    value.resources.forEach((entry, index) => {
      if (typeof entry?.resource !== 'string') {
        return; // Already reported.
      }
      const key = entry.resource.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, index);
      } else {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['resources', index, 'resource'],
          message: `'${entry.resource}' is already configured at ${ROOT_PATH}.resources[${first}]`,
        });
      }
    });
  });

type IssuePath = (string | number)[];

function formatPath(base: string, path: IssuePath): string {
  return path.reduce<string>(
    (result, segment) =>
      typeof segment === 'number'
        ? `${result}[${segment}]`
        : `${result}.${segment}`,
    base,
  );
}

function issueLines(error: z.ZodError, base: string): string[] {
  return error.issues.flatMap(issue => {
    if (issue.code === z.ZodIssueCode.unrecognized_keys) {
      return issue.keys.map(
        key => `${formatPath(base, [...issue.path, key])}: unknown field`,
      );
    }
    return [`${formatPath(base, issue.path)}: ${issue.message}`];
  });
}

/**
 * Validates a raw `access.manual` value (undefined: all defaults).
 *
 * @throws InputError whose message starts with `Invalid access.manual configuration:` and lists
 *   every problem, one per line, for example
 *   `access.manual.resources[0].resource: 'a b' is not an entity ref of the form [kind:][namespace/]name`.
 */
export function parseManualProvisionerConfig(
  value: unknown,
  field = ROOT_PATH,
): ManualProvisionerConfig {
  const result = manualSchema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(
      [
        `Invalid ${field} configuration:`,
        ...issueLines(result.error, field),
      ].join('\n'),
    );
  }
  const { id, instructions, resources, accepts } = result.data;
  return {
    id,
    instructions: { grant: instructions.grant, revoke: instructions.revoke },
    ...(accepts && { accepts }),
    resources: resources.map(entry => ({
      resource: entry.resource,
      ...(entry.grant !== undefined && { grant: entry.grant }),
      ...(entry.revoke !== undefined && { revoke: entry.revoke }),
    })),
  };
}

/**
 * Reads `access.manual` from the app config. Absent, it gives one provisioner with the id
 * `manual` and the default instructions.
 */
export function readManualProvisionerConfig(
  config: Config,
): ManualProvisionerConfig {
  return parseManualProvisionerConfig(config.getOptional(ROOT_PATH));
}
