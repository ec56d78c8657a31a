import {
  AccessProvisioner,
  GrantResult,
  ProvisioningTarget,
  RevokeResult,
} from '@jit-access/plugin-access-node';
import { GrantQueries } from '../database/grants/GrantQueries';
import { GrantRecord } from '../database/grants/GrantStore';
import {
  CallResult,
  ProvisionerGateway,
} from '../provisioning/ProvisionerGateway';
import { provisioningTarget } from '../provisioning/provisioningTarget';
import { RequestTarget } from '../database/requests/requestRows';

/** What the grants of one claimed batch share: their requests and resources. */
export interface BatchContext {
  requests: Map<string, RequestTarget>;
  resources: Map<
    string,
    { type: string; owners: string[]; unrequestableReason?: string }
  >;
}

/** A claimed grant's work, done, waiting to be written. */
export interface Done {
  grant: GrantRecord;
  action: 'grant' | 'revoke';
  outcome: Outcome;
  owners: string[];
}

export type Outcome =
  | { kind: 'done'; result?: GrantResult | RevokeResult; note?: string }
  | { kind: 'handed-to-people'; instructions: string }
  | { kind: 'failed'; permanent: boolean; error: string };

/**
 * Does one claimed grant's work: a provisioner call through the gateway, unless there is nothing
 * to call (no such provisioner, a resource it does not serve, shared access another grant still
 * covers).
 */
export async function doGrantWork(
  grant: GrantRecord,
  batch: BatchContext,
  deps: {
    gateway: ProvisionerGateway;
    grants: GrantQueries;
    now: Date;
    /** Ends calls under way when the engine stops. */
    shutdown: AbortSignal;
  },
): Promise<Done> {
  const action = grant.state === 'revoking' ? 'revoke' : 'grant';
  const request = batch.requests.get(grant.requestId);
  if (!request) {
    return {
      grant,
      action,
      outcome: {
        kind: 'failed',
        permanent: true,
        error: 'The request is gone',
      },
      owners: [],
    };
  }
  const provisioner = deps.gateway.get(grant.provisionerId);
  const resource = batch.resources.get(grant.resourceRef);
  const target = provisioningTarget(grant, request, {
    now: deps.now,
    resourceType: resource?.type,
  });
  const call = async (p: AccessProvisioner) =>
    toOutcome(
      action === 'grant'
        ? await deps.gateway.grant(p, target, deps.shutdown)
        : await deps.gateway.revoke(p, target, deps.shutdown),
    );
  let outcome: Outcome;
  if (!provisioner) {
    outcome = {
      kind: 'failed',
      permanent: true,
      error: `No provisioner '${grant.provisionerId}' is installed`,
    };
  } else if (action === 'grant' && resource?.unrequestableReason) {
    // A catalog entity its provisioner does not accept (a request from before it stopped
    // accepting it, say) is never granted; revoking what exists still goes ahead.
    outcome = {
      kind: 'failed',
      permanent: true,
      error: `${grant.resourceRef} is not requestable: ${resource.unrequestableReason}`,
    };
  } else if (!serves(provisioner, target)) {
    outcome = {
      kind: 'failed',
      permanent: true,
      error: `Provisioner '${provisioner.id}' does not serve ${
        target.permission
      } on ${target.resourceType ?? target.resourceRef}`,
    };
  } else if (action === 'revoke' && provisioner.overlap !== 'independent') {
    const covering = await deps.grants.coveringGrant(grant);
    outcome = covering
      ? { kind: 'done', note: `Access kept: grant ${covering.id} covers it` }
      : await call(provisioner);
  } else {
    outcome = await call(provisioner);
  }
  const owners =
    outcome.kind === 'handed-to-people' ? resource?.owners ?? [] : [];
  return { grant, action, outcome, owners };
}

/** What a call came to, for the outcome writer: done, handed to people, or failed. */
function toOutcome(
  result: CallResult<GrantResult | RevokeResult | void>,
): Outcome {
  if (!result.ok) {
    return {
      kind: 'failed',
      permanent: result.permanent,
      error: result.message,
    };
  }
  if (result.value?.fulfilment) {
    return {
      kind: 'handed-to-people',
      instructions: result.value.fulfilment.instructions,
    };
  }
  return { kind: 'done', result: result.value ?? undefined };
}

/** Whether a provisioner serves the target's permission and resource type. */
export function serves(
  provisioner: AccessProvisioner,
  target: ProvisioningTarget,
): boolean {
  const { resourceTypes, permissions } = provisioner.serves ?? {};
  if (permissions && !permissions.includes(target.permission)) {
    return false;
  }
  if (
    resourceTypes &&
    target.resourceType &&
    !resourceTypes.includes(target.resourceType)
  ) {
    return false;
  }
  return true;
}
