import {
  AccessProvisioner,
  GrantResult,
  ProvisioningContext,
  ProvisioningTarget,
  resourceRefKey,
  RevokeResult,
} from '@jit-access/plugin-access-node';
import {
  DEFAULT_GRANT_INSTRUCTIONS,
  DEFAULT_MANUAL_PROVISIONER_ID,
  DEFAULT_REVOKE_INSTRUCTIONS,
  ManualProvisionerConfig,
} from './config';
import { CompiledTemplate, compileTemplate, fillTemplate } from './templates';

/** A provisioner whose grants and revocations are fulfilment tasks for the resource owners. */
export interface ManualProvisioner extends AccessProvisioner {
  /** Hands the grant to the resource owners: its result always carries the instructions. */
  grant(
    target: ProvisioningTarget,
    ctx?: ProvisioningContext,
  ): Promise<GrantResult & { fulfilment: { instructions: string } }>;
  /** Hands the revocation to the resource owners: its result always carries the instructions. */
  revoke(
    target: ProvisioningTarget,
    ctx?: ProvisioningContext,
  ): Promise<RevokeResult & { fulfilment: { instructions: string } }>;
  /** The instructions a task for this grant gets, without handing anything over. */
  instructionsFor(
    action: 'grant' | 'revoke',
    target: ProvisioningTarget,
  ): string;
}

function compile(source: string, field: string): CompiledTemplate {
  const compiled = compileTemplate(source);
  if ('error' in compiled) {
    throw new Error(`${field}: ${compiled.error}`);
  }
  return compiled;
}

/**
 * Creates the provisioner for systems with no API: `grant` and `revoke` do nothing themselves but
 * return instructions, which the access plugin turns into a fulfilment task for the resource's
 * owners. The grant stays `granting` (or `revoking`) until an owner marks the task done.
 *
 * @param config - as read by `readManualProvisionerConfig`; absent, the id `manual` and the
 *   default instructions. Throws when a template is not valid.
 */
export function createManualProvisioner(
  config?: Partial<ManualProvisionerConfig>,
): ManualProvisioner {
  const id = config?.id ?? DEFAULT_MANUAL_PROVISIONER_ID;
  const defaults = {
    grant: compile(
      config?.instructions?.grant ?? DEFAULT_GRANT_INSTRUCTIONS,
      'instructions.grant',
    ),
    revoke: compile(
      config?.instructions?.revoke ?? DEFAULT_REVOKE_INSTRUCTIONS,
      'instructions.revoke',
    ),
  };
  const perResource = new Map<
    string,
    { grant?: CompiledTemplate; revoke?: CompiledTemplate }
  >();
  (config?.resources ?? []).forEach((entry, index) => {
    const key = resourceRefKey(entry.resource);
    if (perResource.has(key)) {
      throw new Error(
        `resources[${index}].resource: '${entry.resource}' is listed twice`,
      );
    }
    perResource.set(key, {
      ...(entry.grant !== undefined && {
        grant: compile(entry.grant, `resources[${index}].grant`),
      }),
      ...(entry.revoke !== undefined && {
        revoke: compile(entry.revoke, `resources[${index}].revoke`),
      }),
    });
  });

  function instructionsFor(
    action: 'grant' | 'revoke',
    target: ProvisioningTarget,
  ): string {
    const own = perResource.get(resourceRefKey(target.resourceRef))?.[action];
    return fillTemplate(own ?? defaults[action], target);
  }

  // The catalog entities it hands to people: those `accepts` names, and those the operator wrote
  // instructions for.
  const acceptedRefs = [
    ...(config?.accepts?.resourceRefs ?? []),
    ...(config?.resources ?? []).map(entry => entry.resource),
  ];
  const catalog = {
    ...config?.accepts,
    ...(acceptedRefs.length > 0 && { resourceRefs: acceptedRefs }),
  };

  return {
    id,
    title: 'Manual (resource owners)',
    ...(Object.keys(catalog).length > 0 && { serves: { catalog } }),
    // One piece of access per person, resource and permission: while another live grant covers
    // it, the owners are not asked to remove it.
    overlap: 'shared',
    async grant(target, ctx) {
      ctx?.signal.throwIfAborted();
      return { fulfilment: { instructions: instructionsFor('grant', target) } };
    },
    async revoke(target, ctx) {
      ctx?.signal.throwIfAborted();
      return {
        fulfilment: { instructions: instructionsFor('revoke', target) },
      };
    },
    instructionsFor,
  };
}
