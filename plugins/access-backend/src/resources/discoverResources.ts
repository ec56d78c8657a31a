import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessResource } from '@jit-access/plugin-access-common';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { normaliseEntityRef } from '../lib/entityRefs';

/**
 * Asks every provisioner that can `discover` which resources it offers, as requestable resources
 * granted through it. A provisioner that fails or offers something malformed is logged and
 * skipped; the others still count.
 */
export async function discoverResources(
  provisioners: Iterable<AccessProvisioner>,
  logger: LoggerService,
): Promise<AccessResource[]> {
  const found: AccessResource[] = [];
  for (const provisioner of provisioners) {
    if (!provisioner.discover) {
      continue;
    }
    try {
      const offered = await provisioner.discover({
        signal: AbortSignal.timeout(60_000),
        logger: logger.child({ provisioner: provisioner.id }),
      });
      for (const [index, resource] of offered.entries()) {
        const field = `discovered[${index}]`;
        if (resource.permissions.length === 0) {
          logger.warn(
            `Provisioner '${provisioner.id}' offered ${resource.ref} with no permissions; skipped`,
          );
          continue;
        }
        found.push({
          ref: normaliseEntityRef(resource.ref, {
            defaultKind: 'resource',
            field: `${field}.ref`,
          }),
          title: resource.title,
          type: resource.type,
          ...(resource.description
            ? { description: resource.description }
            : {}),
          integration: provisioner.id,
          permissions: resource.permissions,
          owners: (resource.owners ?? []).map((owner, i) =>
            normaliseEntityRef(owner, {
              defaultKind: 'group',
              field: `${field}.owners[${i}]`,
            }),
          ),
          tags: [],
          source: 'provisioner',
        });
      }
    } catch (error) {
      logger.warn(
        `Could not discover the resources of '${provisioner.id}': ${error}`,
      );
    }
  }
  return found;
}
