import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AccessCredentialsReveal } from '@jit-access/plugin-access-common';
import { AccessProvisioner } from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { appendAuditEvent } from '../audit/auditLog';
import { readDate, readOptionalDate } from '../lib/dates';
import { Caller } from '../requests/RequestService';
import { RequestRow } from '../requests/RequestStore';
import { CredentialVault } from './CredentialVault';
import { GrantRow } from './GrantStore';

/**
 * Access details shown once: the grantee reveals the credentials a provisioner issued, which
 * erases them; a later look needs a reset, which the provisioner performs and which is shown at
 * once and never stored. Credentials this backend cannot open (another key sealed them) are left
 * as they are and not recorded as shown.
 */
export class CredentialService {
  constructor(
    private readonly options: {
      db: Knex;
      vault: CredentialVault;
      provisioners: ReadonlyMap<string, AccessProvisioner>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async reveal(
    caller: Caller,
    grantId: string,
  ): Promise<AccessCredentialsReveal> {
    const now = this.now();
    const revealed = await this.options.db.transaction(async tx => {
      const query = tx<GrantRow>('access_grants').where({ id: grantId });
      if (tx.client.config.client === 'pg') {
        query.forUpdate();
      }
      const grant = await query.first();
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
      await tx('access_grants')
        .where({ id: grantId })
        .update({ credentials: null, credentials_state: 'shown' });
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
    const grant = await this.options
      .db<GrantRow>('access_grants')
      .where({ id: grantId })
      .first();
    const request = await this.assertGrantee(caller, grant);
    if (grant!.state !== 'active') {
      throw new ConflictError(`The access is ${grant!.state}, not active`);
    }
    const provisioner = this.options.provisioners.get(grant!.provisioner_id);
    if (!provisioner?.resetCredentials) {
      throw new ConflictError(
        `Provisioner '${grant!.provisioner_id}' cannot reset credentials`,
      );
    }
    let credentials: Record<string, string>;
    try {
      credentials = await provisioner.resetCredentials(
        {
          grantId: grant!.id,
          requestId: grant!.request_id,
          resourceRef: grant!.resource_ref,
          permission: grant!.permission,
          granteeRef: request.grantee_ref,
          startsAt: (
            readOptionalDate(grant!.granted_at) ?? readDate(request.created_at)
          ).toISOString(),
          endsAt: (
            readOptionalDate(request.ends_at) ?? this.now()
          ).toISOString(),
          ...(grant!.external_id ? { externalId: grant!.external_id } : {}),
        },
        {
          signal: AbortSignal.timeout(30_000),
          logger: this.options.logger,
          idempotencyKey: `${grant!.id}:reset:${this.now().getTime()}`,
        },
      );
    } catch (error) {
      throw new ServiceUnavailableError(
        `Could not reset the credentials: ${(error as Error).message}`,
      );
    }
    await this.options.db.transaction(async tx => {
      await tx('access_grants')
        .where({ id: grantId })
        .update({ credentials: null, credentials_state: 'shown' });
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
    db: Knex = this.options.db,
  ): Promise<RequestRow> {
    const request = grant
      ? await db<RequestRow>('access_requests')
          .where({ id: grant.request_id })
          .first()
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
