import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessResource } from '@jit-access/plugin-access-common';
import { normaliseEntityRef } from '../lib/entityRefs';
import { ProvisionerGateway } from './ProvisionerGateway';

/**
 * Asks every provisioner that can `discover` which resources it offers (through the gateway, with
 * the configured call timeout), as requestable resources granted through it. A provisioner that
 * fails or offers something malformed is logged and skipped; the others still count.
 */
export async function discoverResources(
  gateway: ProvisionerGateway,
  logger: LoggerService,
): Promise<AccessResource[]> {
  const found: AccessResource[] = [];
  for (const provisioner of gateway.all()) {
    if (!provisioner.discover) {
      continue;
    }
    const result = await gateway.discover(provisioner);
    if (!result.ok) {
      logger.warn(
        `Could not discover the resources of '${provisioner.id}': ${result.message}`,
      );
      continue;
    }
    const offered = result.value;
    try {
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
