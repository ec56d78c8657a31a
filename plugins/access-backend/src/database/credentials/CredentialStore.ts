import { Knex } from 'knex';
import { GrantRow } from '../grants/grantRow';
import { lockRows } from '../rowLock';

/** The sealed credentials a grant keeps until its grantee has seen them once. */
export class CredentialStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** The grant, locked for the rest of the transaction. */
  async grantForUpdate(
    tx: Knex.Transaction,
    grantId: string,
  ): Promise<GrantRow | undefined> {
    return lockRows(
      tx,
      tx<GrantRow>('access_grants').where({ id: grantId }),
    ).first();
  }

  async grant(grantId: string): Promise<GrantRow | undefined> {
    return this.db<GrantRow>('access_grants').where({ id: grantId }).first();
  }

  /** Erases the credentials: they were shown, or replaced by new ones shown at once. */
  async markShown(tx: Knex.Transaction, grantId: string): Promise<void> {
    await tx('access_grants')
      .where({ id: grantId })
      .update({ credentials: null, credentials_state: 'shown' });
  }
}
