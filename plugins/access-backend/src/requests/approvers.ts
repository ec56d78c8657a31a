import { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
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
          // The flow by its title, as people know it.
          `approver of stage ${stage + 1} of flow '${flow.title}'`,
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
