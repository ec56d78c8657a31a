import { AccessRequestApprover } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { RecordedDecision } from './requestRows';

/** Who may decide a request's stages, and the decisions they recorded. */
export class ApprovalStore {
  constructor(private readonly db: Knex) {}

  /** Whether the user may decide some stage of the request (now or earlier). */
  async isApprover(
    requestId: string,
    userRef: string,
    db: Knex = this.db,
  ): Promise<boolean> {
    const row = await db('access_request_approvers')
      .where({ request_id: requestId, approver_ref: userRef })
      .first();
    return Boolean(row);
  }

  /** Whether the user is one of the approvers of the request's stage. */
  async isStageApprover(
    tx: Knex.Transaction,
    requestId: string,
    stage: number,
    userRef: string,
  ): Promise<boolean> {
    const row = await tx('access_request_approvers')
      .where({ request_id: requestId, stage, approver_ref: userRef })
      .first();
    return Boolean(row);
  }

  /** Lets more people decide a stage (an escalation). */
  async addApprovers(
    tx: Knex.Transaction,
    requestId: string,
    approvers: AccessRequestApprover[],
  ): Promise<void> {
    if (approvers.length === 0) {
      return;
    }
    await tx('access_request_approvers').insert(
      approvers.map(a => ({
        request_id: requestId,
        stage: a.stage,
        approver_ref: a.entityRef,
        why: a.why,
      })),
    );
  }

  async insertDecision(
    tx: Knex.Transaction,
    decision: {
      id: string;
      requestId: string;
      stage: number;
      approverRef: string;
      decision: 'approve' | 'reject';
      reason?: string;
      at: Date;
      /** Set when decided in chat: the channel and the chat user who clicked. */
      via?: { channel: string; chatUserId: string };
    },
  ): Promise<void> {
    await tx('access_approvals').insert({
      id: decision.id,
      request_id: decision.requestId,
      stage: decision.stage,
      approver_ref: decision.approverRef,
      decision: decision.decision,
      reason: decision.reason ?? null,
      decided_at: decision.at,
      channel: decision.via?.channel ?? null,
      chat_user_id: decision.via?.chatUserId ?? null,
    });
  }

  /** Every decision recorded on a request, in the order they were made. */
  async decisions(db: Knex, requestId: string): Promise<RecordedDecision[]> {
    const rows = await db('access_approvals')
      .where({ request_id: requestId })
      .orderBy('decided_at')
      .select('stage', 'approver_ref', 'decision');
    return rows.map(r => ({
      stage: Number(r.stage),
      approverRef: r.approver_ref,
      decision: r.decision,
    }));
  }

  /** How many approvals a stage of the request has. */
  async countApprovals(
    tx: Knex.Transaction,
    requestId: string,
    stage: number,
  ): Promise<number> {
    const [{ n }] = await tx('access_approvals')
      .where({ request_id: requestId, stage, decision: 'approve' })
      .count({ n: '*' });
    return Number(n);
  }
}
