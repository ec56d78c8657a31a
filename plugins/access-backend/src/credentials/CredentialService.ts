import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AccessCredentialsReveal } from '@jit-access/plugin-access-common';
import { appendAuditEvent } from '../database/audit';
import { CredentialStore } from '../database/credentials/CredentialStore';
import { requestById } from '../database/grants/grantRequests';
import { Db, GrantRow } from '../database/grants/grantRow';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { provisioningTarget } from '../provisioning/provisioningTarget';
import { Caller } from '../requests/RequestService';
import { RequestRow } from '../database/requests/requestRows';
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
      db: Db;
      vault: CredentialVault;
      /** The provisioners, called with the configured timeout. */
      gateway: ProvisionerGateway;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.store = new CredentialStore(options.db);
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
      if (grant!.credentials_state === 'shown') {
        throw new ConflictError(
          'The credentials were shown once already; reset them to see new ones',
        );
      }
      if (grant!.credentials_state !== 'ready' || !grant!.credentials) {
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
        requestId: grant!.request_id,
        actorRef: caller.userEntityRef,
        action: 'credentials-shown',
        details: { grantId },
        at: now,
      });
      return {
        grantId,
        resourceRef: grant!.resource_ref,
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
    const provisioner = this.options.gateway.get(grant!.provisioner_id);
    if (!provisioner?.resetCredentials) {
      throw new ConflictError(
        `Provisioner '${grant!.provisioner_id}' cannot reset credentials`,
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
        requestId: grant!.request_id,
        actorRef: caller.userEntityRef,
        action: 'credentials-reset',
        details: { grantId },
        at: this.now(),
      });
    });
    return {
      grantId,
      resourceRef: grant!.resource_ref,
      permission: grant!.permission,
      credentials,
    };
  }

  /** Only the grantee sees credentials: not the requester of a delegated request, not admins. */
  private async assertGrantee(
    caller: Caller,
    grant: GrantRow | undefined,
    db: Db = this.options.db,
  ): Promise<RequestRow> {
    const request = grant
      ? await requestById<RequestRow>(db, grant.request_id)
      : undefined;
    if (!grant || !request) {
      throw new NotFoundError(`No grant ${grant?.id ?? ''}`.trim());
    }
    if (request.grantee_ref !== caller.userEntityRef) {
      const involved =
        caller.isAdmin || request.requester_ref === caller.userEntityRef;
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
