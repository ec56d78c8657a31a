import { AuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { normaliseEntityRef } from '../lib/entityRefs';
import { Caller } from './caller';

/**
 * Who receives the access: the caller, or the user they name. A named grantee must be a User
 * entity in the catalog, so access is never granted to a name nobody signs in as.
 */
export async function resolveGrantee(
  deps: { catalog: CatalogService; auth: AuthService },
  caller: Caller,
  granteeRef: string | undefined,
): Promise<string> {
  if (!granteeRef) {
    return caller.userEntityRef;
  }
  const ref = normaliseEntityRef(granteeRef, {
    defaultKind: 'user',
    field: 'granteeRef',
    kinds: ['user'],
  });
  if (ref === caller.userEntityRef) {
    return ref;
  }
  const user = await deps.catalog.getEntityByRef(ref, {
    credentials: await deps.auth.getOwnServiceCredentials(),
  });
  if (!user || user.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(`granteeRef: no user ${ref} in the catalog`);
  }
  return ref;
}
