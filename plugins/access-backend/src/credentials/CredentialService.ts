import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AccessCredentialsReveal } from '@jit-access/plugin-access-common';
import { appendAuditEvent } from '../database/audit';
import { AccessStores } from '../database/AccessDatabase';
import { CredentialStore } from '../database/credentials/CredentialStore';
import { Tx } from '../database/grants/grantRow';
import { GrantRecord } from '../database/grants/GrantStore';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { provisioningTarget } from '../provisioning/provisioningTarget';
import { Caller } from '../requests/RequestService';
import { RequestRecord } from '../database/requests/requestRows';
import { CredentialVault } from '../engine/CredentialVault';

/**
 * Access details shown once: the grantee reveals the credentials a provisioner issued, which
 * erases them; a later look needs a reset, which the provisioner performs and which is shown at
 * once and never stored. Credentials this backend cannot open (another key sealed them) are left
 * as they are and not recorded as shown.
 */
export class CredentialService {
  private readonly store: CredentialStore;

  constructor(
    private readonly options: {
      stores: Pick<AccessStores, 'credentials'>;
      vault: CredentialVault;
      /** The provisioners, called with the configured timeout. */
      gateway: ProvisionerGateway;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.store = options.stores.credentials;
  }

  async reveal(
    caller: Caller,
    grantId: string,
  ): Promise<AccessCredentialsReveal> {
    const now = this.now();
    const revealed = await this.store.transaction(async tx => {
      const grant = await this.store.grantForUpdate(tx, grantId);
      await this.assertGrantee(caller, grant, tx);
      if (grant!.state !== 'active') {
        throw new ConflictError(`The access is ${grant!.state}, not active`);
      }
      if (grant!.credentialsState === 'shown') {
        throw new ConflictError(
          'The credentials were shown once already; reset them to see new ones',
        );
      }
      if (grant!.credentialsState !== 'ready' || !grant!.credentials) {
        throw new ConflictError('This access has no credentials to show');
      }
      const credentials = this.options.vault.open(grantId, grant!.credentials);
      if (!credentials) {
        // Sealed under another key (instances with different keys, or a key that changed), or
        // altered: leave them as they are, unseen, for the instance that can open them.
        this.options.logger.warn(
          `Cannot open the credentials of grant ${grantId}: sealed under another access.credentials.encryptionKey, or altered; left in place`,
        );
        throw new ConflictError(
          'This backend cannot open the stored credentials: they were sealed under another access.credentials.encryptionKey (every instance needs the same key). Nothing was erased: try again once the instances share the key, or reset the credentials to get new ones',
        );
      }
      await this.store.markShown(tx, grantId);
      await appendAuditEvent(tx, {
        requestId: grant!.requestId,
        actorRef: caller.userEntityRef,
        action: 'credentials-shown',
        details: { grantId },
        at: now,
      });
      return {
        grantId,
        resourceRef: grant!.resourceRef,
        permission: grant!.permission,
        credentials,
      };
    });
    return revealed;
  }

  async reset(
    caller: Caller,
    grantId: string,
  ): Promise<AccessCredentialsReveal> {
    const grant = await this.store.grant(grantId);
    const request = await this.assertGrantee(caller, grant);
    if (grant!.state !== 'active') {
      throw new ConflictError(`The access is ${grant!.state}, not active`);
    }
    const provisioner = this.options.gateway.get(grant!.provisionerId);
    if (!provisioner?.resetCredentials) {
      throw new ConflictError(
        `Provisioner '${grant!.provisionerId}' cannot reset credentials`,
      );
    }
    const reset = await this.options.gateway.resetCredentials(
      provisioner,
      provisioningTarget(grant!, request, { now: this.now() }),
      this.now(),
    );
    if (!reset.ok) {
      throw new ServiceUnavailableError(
        `Could not reset the credentials: ${reset.message}`,
      );
    }
    const credentials = reset.value;
    await this.store.transaction(async tx => {
      await this.store.markShown(tx, grantId);
      await appendAuditEvent(tx, {
        requestId: grant!.requestId,
        actorRef: caller.userEntityRef,
        action: 'credentials-reset',
        details: { grantId },
        at: this.now(),
      });
    });
    return {
      grantId,
      resourceRef: grant!.resourceRef,
      permission: grant!.permission,
      credentials,
    };
  }

  /** Only the grantee sees credentials: not the requester of a delegated request, not admins. */
  private async assertGrantee(
    caller: Caller,
    grant: GrantRecord | undefined,
    tx?: Tx,
  ): Promise<RequestRecord> {
    const request = grant
      ? await this.store.request(grant.requestId, tx)
      : undefined;
    if (!grant || !request) {
      throw new NotFoundError(`No grant ${grant?.id ?? ''}`.trim());
    }
    if (request.granteeRef !== caller.userEntityRef) {
      const involved =
        caller.isAdmin || request.requesterRef === caller.userEntityRef;
      if (!involved) {
        throw new NotFoundError(`No grant ${grant.id}`);
      }
      throw new NotAllowedError(
        'Only the person who holds the access can see its credentials',
      );
    }
    return request;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }
}
