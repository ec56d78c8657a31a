import { Page, ReconciliationFinding } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { readDate } from '../../lib/dates';
import { newestFirstPage } from '../newestFirst';

/** A finding as reconciliation records it. */
export interface NewFinding {
  kind: ReconciliationFinding['kind'];
  provisionerId: string;
  resourceRef: string;
  permission: string;
  granteeRef: string;
  grantId?: string;
  detail: string;
}

interface FindingRow {
  id: string;
  provisioner_id: string;
  kind: ReconciliationFinding['kind'];
  resource_ref: string;
  permission: string;
  grantee_ref: string;
  grant_id: string | null;
  detail: string;
  created_at: Date | number;
}

/** What reconciliation found: access_reconciliation_findings. */
export class FindingStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /** Whether the same finding was recorded after `since`. */
  async recordedSince(finding: NewFinding, since: Date): Promise<boolean> {
    const recent = await this.db('access_reconciliation_findings')
      .where({
        provisioner_id: finding.provisionerId,
        kind: finding.kind,
        resource_ref: finding.resourceRef,
        permission: finding.permission,
        grantee_ref: finding.granteeRef,
        grant_id: finding.grantId ?? null,
      })
      .where('created_at', '>', since)
      .first();
    return Boolean(recent);
  }

  async insert(
    tx: Knex.Transaction,
    finding: NewFinding,
    at: Date,
  ): Promise<void> {
    await tx('access_reconciliation_findings').insert({
      id: randomUUID(),
      provisioner_id: finding.provisionerId,
      kind: finding.kind,
      resource_ref: finding.resourceRef,
      permission: finding.permission,
      grantee_ref: finding.granteeRef,
      grant_id: finding.grantId ?? null,
      detail: finding.detail,
      created_at: at,
    });
  }

  /** Findings, newest first. */
  async page(query: {
    limit: number;
    cursor?: string;
  }): Promise<Page<ReconciliationFinding>> {
    const page = await newestFirstPage<FindingRow>(
      this.db('access_reconciliation_findings'),
      query.limit,
      query.cursor,
    );
    return {
      items: page.items.map(row => ({
        id: row.id,
        provisionerId: row.provisioner_id,
        kind: row.kind,
        resourceRef: row.resource_ref,
        permission: row.permission,
        granteeRef: row.grantee_ref,
        ...(row.grant_id ? { grantId: row.grant_id } : {}),
        detail: row.detail,
        createdAt: readDate(row.created_at).toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }
}
