import { LoggerService } from '@backstage/backend-plugin-api';
import { Page, ReconciliationFinding } from '@jit-access/plugin-access-common';
import {
  AccessProvisioner,
  ObservedAccess,
} from '@jit-access/plugin-access-node';
import { appendAuditEvent, SYSTEM_ACTOR } from '../database/audit';
import { AccessStores } from '../database/AccessDatabase';
import { FindingStore } from '../database/findings/FindingStore';
import { GrantQueries } from '../database/grants/GrantQueries';
import { LIVE_STATES } from '../database/grants/grantRow';
import { GrantRecord } from '../database/grants/GrantStore';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { provisioningTarget } from '../provisioning/provisioningTarget';

type Kind = ReconciliationFinding['kind'];

interface Finding {
  kind: Kind;
  provisionerId: string;
  resourceRef: string;
  permission: string;
  granteeRef: string;
  grant?: GrantRecord;
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
  private readonly grants: GrantQueries;
  private readonly findings: FindingStore;

  constructor(
    private readonly options: {
      stores: Pick<AccessStores, 'grantQueries' | 'findings'>;
      /** The provisioners, called with the configured timeout. */
      gateway: ProvisionerGateway;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {
    this.grants = options.stores.grantQueries;
    this.findings = options.stores.findings;
  }

  /** One pass over every provisioner that can observe; returns the findings it recorded. */
  async run(): Promise<Finding[]> {
    const recorded: Finding[] = [];
    for (const provisioner of this.options.gateway.all()) {
      if (!provisioner.observe) {
        continue;
      }
      const observed = await this.options.gateway.observe(provisioner);
      if (!observed.ok) {
        this.options.logger.warn(
          `Reconciliation could not observe '${provisioner.id}': ${observed.message}`,
        );
        continue;
      }
      const findings = await this.compare(provisioner, observed.value);
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
    return this.findings.page(query);
  }

  private async compare(
    provisioner: AccessProvisioner,
    observed: ObservedAccess[],
  ): Promise<Finding[]> {
    const id = provisioner.id;
    const findings: Finding[] = [];
    const named = observed.map(o => o.grantId).filter((g): g is string => !!g);
    const byId = await this.grants.byIds(named);
    const live = await this.grants.liveOrRevoking(id);
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
          : await this.grants.lastEnded({ ...access, provisionerId: id }));
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
        if (grant.missingSince) {
          await this.grants.setMissingSince(grant.id, null);
        }
        continue;
      }
      if (!grant.missingSince) {
        await this.grants.setMissingSince(grant.id, this.now());
      }
      findings.push({
        provisionerId: id,
        kind: 'missing',
        resourceRef: grant.resourceRef,
        permission: grant.permission,
        granteeRef: grant.granteeRef ?? '',
        grant,
        detail: `The grant is active but ${id} no longer shows the access`,
      });
    }
    return findings;
  }

  private async revokeAgain(
    provisioner: AccessProvisioner,
    grant: GrantRecord,
  ): Promise<string> {
    const request = await this.grants.requestById(grant.requestId);
    const revoked = await this.options.gateway.revoke(
      provisioner,
      provisioningTarget(grant, request, { now: this.now() }),
    );
    return revoked.ok
      ? 'revoked it again'
      : `revoking it again failed: ${revoked.message}`;
  }

  /** Records a finding unless the same one was recorded recently. */
  private async record(finding: Finding): Promise<boolean> {
    const now = this.now();
    const { grant, ...rest } = finding;
    const recorded = { ...rest, grantId: grant?.id };
    const recent = await this.findings.recordedSince(
      recorded,
      new Date(now.getTime() - REPEAT_AFTER_MS),
    );
    // still-present is recorded every time: each one is a fresh revocation.
    if (recent && finding.kind !== 'still-present') {
      return false;
    }
    await this.findings.transaction(async tx => {
      await this.findings.insert(tx, recorded, now);
      await appendAuditEvent(tx, {
        requestId: finding.grant?.requestId,
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

function grantKey(grant: GrantRecord) {
  return key({
    resourceRef: grant.resourceRef,
    permission: grant.permission,
    granteeRef: grant.granteeRef ?? '',
  });
}
