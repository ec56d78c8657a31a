import { FulfilmentTask, Page } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { readDate, readOptionalDate } from '../../lib/dates';
import { newestFirstPage } from '../newestFirst';
import { lockRows } from '../rowLock';

/** A row of access_fulfilment_tasks: grant or revoke work handed to people. */
interface TaskRow {
  id: string;
  grant_id: string;
  request_id: string;
  action: 'grant' | 'revoke';
  instructions: string;
  state: FulfilmentTask['state'];
  created_at: Date | number;
  completed_at: Date | number | null;
  completed_by: string | null;
  note: string | null;
}

/** Grant or revoke work handed to people, as the rest of the plugin reads it. */
export interface TaskRecord {
  id: string;
  grantId: string;
  requestId: string;
  action: 'grant' | 'revoke';
  instructions: string;
  state: FulfilmentTask['state'];
  createdAt: Date;
  completedAt?: Date;
  completedBy?: string;
  note?: string;
}

function toTaskRecord(row: TaskRow): TaskRecord {
  const completedAt = readOptionalDate(row.completed_at);
  return {
    id: row.id,
    grantId: row.grant_id,
    requestId: row.request_id,
    action: row.action,
    instructions: row.instructions,
    state: row.state,
    createdAt: readDate(row.created_at),
    ...(completedAt ? { completedAt } : {}),
    ...(row.completed_by ? { completedBy: row.completed_by } : {}),
    ...(row.note ? { note: row.note } : {}),
  };
}

/** What a task shows of its grant and request. */
export interface TaskGrant {
  id: string;
  resourceRef: string;
  permission: string;
  provisionerId: string;
  granteeRef: string;
}

/** Fulfilment tasks and the people (and groups) they are assigned to. */
export class FulfilmentTaskStore {
  constructor(private readonly db: Knex) {}

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(fn);
  }

  /**
   * Opens a task for a grant's work, assigned to `owners`, unless one is open already (a retried
   * call after a lost lease).
   */
  async open(
    tx: Knex.Transaction,
    task: {
      grantId: string;
      requestId: string;
      action: 'grant' | 'revoke';
      instructions: string;
      owners: string[];
      now: Date;
    },
  ): Promise<void> {
    const open = await tx('access_fulfilment_tasks')
      .where({ grant_id: task.grantId, action: task.action, state: 'open' })
      .first();
    if (open) {
      return;
    }
    const id = randomUUID();
    await tx('access_fulfilment_tasks').insert({
      id,
      grant_id: task.grantId,
      request_id: task.requestId,
      action: task.action,
      instructions: task.instructions,
      state: 'open',
      created_at: task.now,
    });
    if (task.owners.length > 0) {
      await tx('access_fulfilment_assignees').insert(
        [...new Set(task.owners)].map(ref => ({
          task_id: id,
          assignee_ref: ref,
        })),
      );
    }
  }

  /** Calls off the open grant tasks of these requests (their revocation makes its own). */
  async cancelOpenGrantTasks(
    tx: Knex.Transaction,
    requestIds: readonly string[],
    now: Date,
  ): Promise<void> {
    await tx('access_fulfilment_tasks')
      .whereIn('request_id', requestIds)
      .where({ state: 'open', action: 'grant' })
      .update({ state: 'cancelled', completed_at: now });
  }

  /**
   * A page of open tasks, or of done and cancelled ones, newest first; with `assignees`, only
   * those assigned to one of them.
   */
  async page(query: {
    state: 'open' | 'done';
    assignees?: string[];
    limit: number;
    cursor?: string;
  }): Promise<Page<TaskRecord>> {
    const tasks = this.db<TaskRow>('access_fulfilment_tasks');
    if (query.state === 'open') {
      tasks.where('state', 'open');
    } else {
      tasks.whereIn('state', ['done', 'cancelled']);
    }
    if (query.assignees) {
      tasks.whereIn(
        'id',
        this.db('access_fulfilment_assignees')
          .select('task_id')
          .whereIn('assignee_ref', query.assignees),
      );
    }
    const page = await newestFirstPage<TaskRow>(
      tasks,
      query.limit,
      query.cursor,
    );
    return { ...page, items: page.items.map(toTaskRecord) };
  }

  async get(id: string): Promise<TaskRecord | undefined> {
    const row = await this.db<TaskRow>('access_fulfilment_tasks')
      .where({ id })
      .first();
    return row && toTaskRecord(row);
  }

  /** The task, locked for the rest of the transaction. */
  async getForUpdate(
    tx: Knex.Transaction,
    id: string,
  ): Promise<TaskRecord | undefined> {
    const row = await lockRows(
      tx,
      tx<TaskRow>('access_fulfilment_tasks').where({ id }),
    ).first();
    return row && toTaskRecord(row);
  }

  /** Whether the task is assigned to one of `refs`. */
  async isAssignedTo(
    tx: Knex.Transaction,
    id: string,
    refs: string[],
  ): Promise<boolean> {
    const assignee = await tx('access_fulfilment_assignees')
      .where({ task_id: id })
      .whereIn('assignee_ref', refs)
      .first();
    return Boolean(assignee);
  }

  async markDone(
    tx: Knex.Transaction,
    id: string,
    done: { at: Date; by: string; note: string | null },
  ): Promise<void> {
    await tx('access_fulfilment_tasks').where({ id }).update({
      state: 'done',
      completed_at: done.at,
      completed_by: done.by,
      note: done.note,
    });
  }

  /** The grants of tasks, with their requests' grantees. */
  async grantsOf(grantIds: string[]): Promise<Map<string, TaskGrant>> {
    const rows: Array<{
      id: string;
      resource_ref: string;
      permission: string;
      provisioner_id: string;
      grantee_ref: string;
    }> = await this.db('access_grants')
      .join('access_requests', 'access_requests.id', 'access_grants.request_id')
      .whereIn('access_grants.id', grantIds)
      .select(
        'access_grants.id',
        'access_grants.resource_ref',
        'access_grants.permission',
        'access_grants.provisioner_id',
        'access_requests.grantee_ref',
      );
    return new Map(
      rows.map(row => [
        row.id,
        {
          id: row.id,
          resourceRef: row.resource_ref,
          permission: row.permission,
          provisionerId: row.provisioner_id,
          granteeRef: row.grantee_ref,
        },
      ]),
    );
  }
}
