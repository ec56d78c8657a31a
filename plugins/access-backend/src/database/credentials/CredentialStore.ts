import { Knex } from 'knex';
import { GrantRecord, toGrantRecord } from '../grants/grantRecord';
import { requestById } from '../grants/grantRequests';
import { GrantRow } from '../grants/grantRow';
import { RequestRecord } from '../requests/requestRows';
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
  ): Promise<GrantRecord | undefined> {
    const row = await lockRows(
      tx,
      tx<GrantRow>('access_grants').where({ id: grantId }),
    ).first();
    return row && toGrantRecord(row);
  }

  async grant(grantId: string): Promise<GrantRecord | undefined> {
    const row = await this.db<GrantRow>('access_grants')
      .where({ id: grantId })
      .first();
    return row && toGrantRecord(row);
  }

  /** The request a grant belongs to (in the transaction, when given). */
  async request(
    requestId: string,
    db: Knex = this.db,
  ): Promise<RequestRecord | undefined> {
    return requestById(db, requestId);
  }

  /** Erases the credentials: they were shown, or replaced by new ones shown at once. */
  async markShown(tx: Knex.Transaction, grantId: string): Promise<void> {
    await tx('access_grants')
      .where({ id: grantId })
      .update({ credentials: null, credentials_state: 'shown' });
  }
}
