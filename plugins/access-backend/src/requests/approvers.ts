import { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessFlow,
  AccessRequestApprover,
  AccessResource,
} from '@jit-access/plugin-access-common';

/**
 * Resolves who may decide each approval stage of a request: the resources' owners (a user, or the
 * members of a group) and the users and group members a stage names. Each approver carries the
 * reason they were chosen, shown on the request.
 */
export async function resolveApprovers(options: {
  flow: AccessFlow;
  resources: AccessResource[];
  catalog: CatalogService;
  auth: AuthService;
}): Promise<AccessRequestApprover[]> {
  const { flow, resources, catalog, auth } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const membersCache = new Map<string, Promise<string[]>>();

  const membersOf = (groupRef: string) => {
    let members = membersCache.get(groupRef);
    if (!members) {
      members = catalog
        .getEntityByRef(groupRef, { credentials })
        .then(group =>
          (group?.relations ?? [])
            .filter(r => r.type === RELATION_HAS_MEMBER)
            .map(r => r.targetRef),
        );
      membersCache.set(groupRef, members);
    }
    return members;
  };

  const approvers: AccessRequestApprover[] = [];
  for (const [stage, rule] of flow.approval.stages.entries()) {
    const reasons = new Map<string, string[]>();
    const add = (userRef: string, why: string) => {
      reasons.set(userRef, [...(reasons.get(userRef) ?? []), why]);
    };
    const addPrincipal = async (ref: string, because: string) => {
      if (parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'user') {
        add(ref, because);
        return;
      }
      for (const member of await membersOf(ref)) {
        add(member, `member of ${ref}, ${because}`);
      }
    };

    for (const approver of rule.approvers) {
      if (approver === 'owners') {
        for (const resource of resources) {
          for (const owner of resource.owners) {
            await addPrincipal(owner, `owner of ${resource.ref}`);
          }
        }
      } else {
        await addPrincipal(
          approver,
          `approver of stage ${stage + 1} of flow '${flow.id}'`,
        );
      }
    }
    for (const [entityRef, why] of reasons) {
      approvers.push({
        stage,
        entityRef: stringifyEntityRef(parseEntityRef(entityRef)),
        why: why.join('; '),
      });
    }
  }
  return approvers;
}

/**
 * Refuses a request that could never be approved: a stage with fewer approvers than it needs,
 * once the requester and grantee are set aside (unless the flow allows self-approval).
 */
export function assertApprovable(
  flow: AccessFlow,
  approvers: AccessRequestApprover[],
  requesterRef: string,
  granteeRef: string,
): void {
  for (const [stage, rule] of flow.approval.stages.entries()) {
    const eligible = approvers.filter(
      a =>
        a.stage === stage &&
        (flow.approval.allowSelfApproval ||
          (a.entityRef !== requesterRef && a.entityRef !== granteeRef)),
    );
    if (eligible.length < rule.minApprovals) {
      throw new InputError(
        `Flow '${flow.id}' cannot approve this request: stage ${
          stage + 1
        } needs ${rule.minApprovals} approver(s) besides you, and has ${
          eligible.length
        } (${rule.approvers.join(', ')})`,
      );
    }
  }
}
