import { Knex } from 'knex';
import { RequestRecord, RequestRow, toRecord } from './requestRows';

/** What makes a pending request due for a reminder or an escalation. */
export type DueFor =
  /** Reminders of a flow's requests whose pending deadline is at most `remindFrom`. */
  | { reminder: { flowId: string; remindFrom: Date } }
  /** Escalation of a flow's stage that has waited since `waitingSince` or longer. */
  | { escalation: { flowId: string; stage: number; waitingSince: Date } };

/**
 * The bookkeeping that keeps pending requests moving: which are due for a reminder or an
 * escalation, and claiming one so that it happens once per stage, on one instance.
 */
export class ReminderStore {
  constructor(private readonly db: Knex) {}

  /**
   * One page, by id after `after`, of the pending requests that are due. Only due requests are
   * read (the thresholds are each flow's constants, compared in SQL).
   */
  async duePage(
    due: DueFor,
    after: string,
    pageSize: number,
  ): Promise<RequestRecord[]> {
    const query = this.db<RequestRow>('access_requests')
      .where('status', 'pending_approval')
      .where('id', '>', after);
    if ('reminder' in due) {
      query
        .where('flow_id', due.reminder.flowId)
        .where('pending_deadline', '<=', due.reminder.remindFrom)
        .where(notYetInThisStage('reminded_stage'));
    } else {
      const { flowId, stage, waitingSince } = due.escalation;
      query
        .where({ flow_id: flowId, current_stage: stage })
        .where(notYetInThisStage('escalated_stage'))
        .where(since =>
          since
            .where('stage_started_at', '<=', waitingSince)
            .orWhere(created =>
              created
                .whereNull('stage_started_at')
                .where('created_at', '<=', waitingSince),
            ),
        );
    }
    const rows: RequestRow[] = await query.orderBy('id').limit(pageSize);
    return rows.map(toRecord);
  }

  /** Claims the reminder of the request's stage; false when decided or reminded already. */
  async claimReminder(requestId: string, stage: number): Promise<boolean> {
    const claimed = await this.db('access_requests')
      .where({
        id: requestId,
        status: 'pending_approval',
        current_stage: stage,
      })
      .where(notYetInThisStage('reminded_stage'))
      .update({ reminded_stage: stage });
    return claimed === 1;
  }

  /** Claims the escalation of the request's stage; false when decided or escalated already. */
  async claimEscalation(
    tx: Knex.Transaction,
    requestId: string,
    stage: number,
  ): Promise<boolean> {
    const claimed = await tx('access_requests')
      .where({
        id: requestId,
        status: 'pending_approval',
        current_stage: stage,
      })
      .where(notYetInThisStage('escalated_stage'))
      .update({ escalated_stage: stage });
    return claimed === 1;
  }
}

/** Not yet done in the request's current stage (`column` records the stage it was done in). */
function notYetInThisStage(column: 'reminded_stage' | 'escalated_stage') {
  return (q: Knex.QueryBuilder) =>
    q.whereNull(column).orWhereRaw('?? <> ??', [column, 'current_stage']);
}
