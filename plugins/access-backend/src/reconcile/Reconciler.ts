import { LoggerService } from '@backstage/backend-plugin-api';
import { Page, ReconciliationFinding } from '@jit-access/plugin-access-common';
import {
  AccessProvisioner,
  ObservedAccess,
} from '@jit-access/plugin-access-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { appendAuditEvent, SYSTEM_ACTOR } from '../audit/auditLog';
import { GrantRow, LIVE_STATES } from '../engine/GrantStore';
import { readDate, readOptionalDate } from '../lib/dates';
import { RequestRow } from '../requests/RequestStore';
import { newestFirstPage } from '../database/newestFirst';

type Kind = ReconciliationFinding['kind'];

interface Finding {
  kind: Kind;
  provisionerId: string;
  resourceRef: string;
  permission: string;
  granteeRef: string;
  grant?: GrantRow;
  detail: string;
}

/** The same finding is recorded again only after this long, so a daily look is not flooded. */
const REPEAT_AFTER_MS = 24 * 3600_000;

const key = (a: {
  resourceRef: string;
  permission: string;
  granteeRef: string;
}) => `${a.resourceRef}\u0000${a.permission}\u0000${a.granteeRef}`;

/**
 * Compares what each provisioner says exists (`observe`) with the grants in the database: access
 * whose grant ended but is still there is revoked again; access with no grant behind it is
 * reported; live grants whose access disappeared are marked. Findings go to the audit log and to
 * the admin endpoint.
 */
export class Reconciler {
  constructor(
    private readonly options: {
      db: Knex;
      provisioners: ReadonlyMap<string, AccessProvisioner>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /** One pass over every provisioner that can observe; returns the findings it recorded. */
  async run(): Promise<Finding[]> {
    const recorded: Finding[] = [];
    for (const provisioner of this.options.provisioners.values()) {
      if (!provisioner.observe) {
        continue;
      }
      let observed: ObservedAccess[];
      try {
        observed = await provisioner.observe({
          signal: AbortSignal.timeout(120_000),
          logger: this.options.logger.child({ provisioner: provisioner.id }),
        });
      } catch (error) {
        this.options.logger.warn(
          `Reconciliation could not observe '${provisioner.id}': ${error}`,
        );
        continue;
      }
      const findings = await this.compare(provisioner, observed);
      for (const finding of findings) {
        if (await this.record(finding)) {
          recorded.push(finding);
        }
      }
    }
    return recorded;
  }

  async list(query: {
    limit: number;
    cursor?: string;
  }): Promise<Page<ReconciliationFinding>> {
    const page = await newestFirstPage<any>(
      this.options.db('access_reconciliation_findings'),
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

  private async compare(
    provisioner: AccessProvisioner,
    observed: ObservedAccess[],
  ): Promise<Finding[]> {
    const { db } = this.options;
    const id = provisioner.id;
    const findings: Finding[] = [];
    const named = observed.map(o => o.grantId).filter((g): g is string => !!g);
    const byId = new Map<string, GrantRow>();
    for (let i = 0; i < named.length; i += 500) {
      const rows = await db<GrantRow>('access_grants').whereIn(
        'id',
        named.slice(i, i + 500),
      );
      rows.forEach(row => byId.set(row.id, row));
    }
    const live = await db<GrantRow>('access_grants')
      .where({ provisioner_id: id })
      .whereIn('state', [...LIVE_STATES, 'revoking']);
    const liveKeys = new Set(live.map(grantKey));
    const observedIds = new Set(named);
    const observedKeys = new Set(observed.map(key));

    for (const access of observed) {
      const grant = access.grantId ? byId.get(access.grantId) : undefined;
      const base = {
        provisionerId: id,
        resourceRef: access.resourceRef,
        permission: access.permission,
        granteeRef: access.granteeRef,
      };
      if (grant && [...LIVE_STATES, 'revoking'].includes(grant.state)) {
        continue;
      }
      // Shared access is explained by any live grant of the same person, resource and
      // permission; independent access only by its own grant, when the provisioner names it.
      const coveredByLive =
        liveKeys.has(key(access)) &&
        (provisioner.overlap !== 'independent' || !access.grantId);
      if (coveredByLive) {
        continue;
      }
      const ended =
        grant ??
        (access.grantId
          ? undefined
          : await db<GrantRow>('access_grants')
              .where({
                provisioner_id: id,
                resource_ref: access.resourceRef,
                permission: access.permission,
                grantee_ref: access.granteeRef,
              })
              .whereIn('state', ['expired', 'revoked', 'cancelled', 'failed'])
              .orderBy('revoked_at', 'desc')
              .first());
      if (!ended) {
        findings.push({
          ...base,
          kind: 'untracked',
          detail: access.grantId
            ? `Access for grant ${access.grantId}, which this portal does not know`
            : 'Access that no grant of this portal explains',
        });
        continue;
      }
      const revoked = await this.revokeAgain(provisioner, ended);
      findings.push({
        ...base,
        kind: 'still-present',
        grant: ended,
        detail: `The grant is ${ended.state} but the access was still there; ${revoked}`,
      });
    }

    for (const grant of live.filter(g => g.state === 'active')) {
      const present =
        observedIds.has(grant.id) ||
        (provisioner.overlap !== 'independent' &&
          observedKeys.has(grantKey(grant)));
      if (present) {
        if (grant.missing_since) {
          await db('access_grants')
            .where({ id: grant.id })
            .update({ missing_since: null });
        }
        continue;
      }
      if (!grant.missing_since) {
        await db('access_grants')
          .where({ id: grant.id })
          .update({ missing_since: this.now() });
      }
      findings.push({
        provisionerId: id,
        kind: 'missing',
        resourceRef: grant.resource_ref,
        permission: grant.permission,
        granteeRef: grant.grantee_ref ?? '',
        grant,
        detail: `The grant is active but ${id} no longer shows the access`,
      });
    }
    return findings;
  }

  private async revokeAgain(
    provisioner: AccessProvisioner,
    grant: GrantRow,
  ): Promise<string> {
    const request = await this.options
      .db<RequestRow>('access_requests')
      .where({ id: grant.request_id })
      .first();
    try {
      await provisioner.revoke(
        {
          grantId: grant.id,
          requestId: grant.request_id,
          resourceRef: grant.resource_ref,
          permission: grant.permission,
          granteeRef: grant.grantee_ref ?? request?.grantee_ref ?? '',
          startsAt: (
            readOptionalDate(grant.granted_at) ?? this.now()
          ).toISOString(),
          endsAt: (
            readOptionalDate(request?.ends_at) ?? this.now()
          ).toISOString(),
          ...(grant.external_id ? { externalId: grant.external_id } : {}),
        },
        {
          signal: AbortSignal.timeout(60_000),
          logger: this.options.logger,
          idempotencyKey: `${grant.id}:revoke`,
        },
      );
      return 'revoked it again';
    } catch (error) {
      return `revoking it again failed: ${(error as Error).message}`;
    }
  }

  /** Records a finding unless the same one was recorded recently. */
  private async record(finding: Finding): Promise<boolean> {
    const { db } = this.options;
    const now = this.now();
    const recent = await db('access_reconciliation_findings')
      .where({
        provisioner_id: finding.provisionerId,
        kind: finding.kind,
        resource_ref: finding.resourceRef,
        permission: finding.permission,
        grantee_ref: finding.granteeRef,
        grant_id: finding.grant?.id ?? null,
      })
      .where('created_at', '>', new Date(now.getTime() - REPEAT_AFTER_MS))
      .first();
    // still-present is recorded every time: each one is a fresh revocation.
    if (recent && finding.kind !== 'still-present') {
      return false;
    }
    await db.transaction(async tx => {
      await tx('access_reconciliation_findings').insert({
        id: randomUUID(),
        provisioner_id: finding.provisionerId,
        kind: finding.kind,
        resource_ref: finding.resourceRef,
        permission: finding.permission,
        grantee_ref: finding.granteeRef,
        grant_id: finding.grant?.id ?? null,
        detail: finding.detail,
        created_at: now,
      });
      await appendAuditEvent(tx, {
        requestId: finding.grant?.request_id,
        actorRef: SYSTEM_ACTOR,
        action: `reconcile-${finding.kind}`,
        details: {
          provisionerId: finding.provisionerId,
          resourceRef: finding.resourceRef,
          permission: finding.permission,
          granteeRef: finding.granteeRef,
          ...(finding.grant ? { grantId: finding.grant.id } : {}),
          detail: finding.detail,
        },
        at: now,
      });
    });
    this.options.logger.warn(
      `Reconciliation (${finding.provisionerId}): ${finding.kind} ${finding.permission} on ${finding.resourceRef} for ${finding.granteeRef}: ${finding.detail}`,
    );
    return true;
  }

  private now() {
    return this.options.now?.() ?? new Date();
  }
}

function grantKey(grant: GrantRow) {
  return key({
    resourceRef: grant.resource_ref,
    permission: grant.permission,
    granteeRef: grant.grantee_ref ?? '',
  });
}
