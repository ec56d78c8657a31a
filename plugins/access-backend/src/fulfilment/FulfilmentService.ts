import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { FulfilmentTask, Page } from '@jit-access/plugin-access-common';
import { Knex } from 'knex';
import { appendAuditEvent } from '../audit/auditLog';
import { GrantRow } from '../engine/GrantStore';
import { settleRequest } from '../engine/settleRequest';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { readDate, readOptionalDate } from '../lib/dates';
import { RequestingCaller } from '../requests/RequestService';
import { newestFirstPage } from '../database/newestFirst';

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

/**
 * Grant and revoke work that a provisioner handed to people (the manual provisioner): the
 * resource owners see it and say when it is done, which moves the grant on as an API call would.
 */
export class FulfilmentService {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** Where completed tasks say which requests changed and that the engine has work. */
      events?: AccessEvents;
      now?: () => Date;
    } = {},
  ) {}

  /** Tasks assigned to the caller (through the groups they are in); admins see all. */
  async list(
    caller: RequestingCaller,
    query: { state: 'open' | 'done'; limit: number; cursor?: string },
  ): Promise<Page<FulfilmentTask>> {
    const tasks = this.db<TaskRow>('access_fulfilment_tasks');
    if (query.state === 'open') {
      tasks.where('state', 'open');
    } else {
      tasks.whereIn('state', ['done', 'cancelled']);
    }
    if (!caller.isAdmin) {
      tasks.whereIn(
        'id',
        this.db('access_fulfilment_assignees')
          .select('task_id')
          .whereIn('assignee_ref', caller.ownershipEntityRefs),
      );
    }
    const page = await newestFirstPage<TaskRow>(
      tasks,
      query.limit,
      query.cursor,
    );
    return {
      items: await this.hydrate(page.items),
      nextCursor: page.nextCursor,
    };
  }

  async complete(
    caller: RequestingCaller,
    id: string,
    note: string | undefined,
  ): Promise<FulfilmentTask> {
    const now = this.options.now?.() ?? new Date();
    const me = caller.userEntityRef;
    const changes: StatusChange[] = [];
    await this.db.transaction(async tx => {
      const query = tx<TaskRow>('access_fulfilment_tasks').where({ id });
      if (tx.client.config.client === 'pg') {
        query.forUpdate();
      }
      const task = await query.first();
      if (!task) {
        throw new NotFoundError(`No fulfilment task ${id}`);
      }
      const assignee = await tx('access_fulfilment_assignees')
        .where({ task_id: id })
        .whereIn('assignee_ref', caller.ownershipEntityRefs)
        .first();
      if (!assignee && !caller.isAdmin) {
        throw new NotAllowedError(
          'Only the owners of the resource or an admin can complete this task',
        );
      }
      if (task.state !== 'open') {
        throw new ConflictError(
          `The task is ${task.state}${
            task.completed_by ? `; completed by ${task.completed_by}` : ''
          }`,
        );
      }
      const grant = await tx<GrantRow>('access_grants')
        .where({ id: task.grant_id })
        .first();
      const expected = task.action === 'grant' ? 'granting' : 'revoking';
      if (!grant || grant.state !== expected) {
        throw new ConflictError(
          `The access is ${grant?.state ?? 'gone'} now; nothing to ${
            task.action
          }`,
        );
      }
      await tx('access_grants')
        .where({ id: grant.id, version: grant.version })
        .update(
          task.action === 'grant'
            ? {
                state: 'active',
                granted_at: now,
                last_error: null,
                next_attempt_at: null,
                version: grant.version + 1,
              }
            : {
                state: grant.end_reason ?? 'revoked',
                revoked_at: now,
                next_attempt_at: null,
                version: grant.version + 1,
              },
        );
      await tx('access_fulfilment_tasks')
        .where({ id })
        .update({
          state: 'done',
          completed_at: now,
          completed_by: me,
          note: note?.trim() || null,
        });
      await appendAuditEvent(tx, {
        requestId: task.request_id,
        actorRef: me,
        action: `fulfil-${task.action}`,
        details: {
          taskId: id,
          grantId: grant.id,
          resourceRef: grant.resource_ref,
          permission: grant.permission,
          ...(note?.trim() ? { note: note.trim() } : {}),
        },
        at: now,
      });
      const change = await settleRequest(tx, task.request_id, now);
      if (change) {
        changes.push(change);
      }
    });
    if (changes.length > 0) {
      await this.options.events?.emit('statusChanged', changes);
      await this.options.events?.emit('workAvailable');
    }
    const [task] = await this.hydrate(
      await this.db<TaskRow>('access_fulfilment_tasks').where({ id }),
    );
    return task;
  }

  private async hydrate(rows: TaskRow[]): Promise<FulfilmentTask[]> {
    if (rows.length === 0) {
      return [];
    }
    const grants = await this.db('access_grants')
      .join('access_requests', 'access_requests.id', 'access_grants.request_id')
      .whereIn(
        'access_grants.id',
        rows.map(r => r.grant_id),
      )
      .select(
        'access_grants.id',
        'access_grants.resource_ref',
        'access_grants.permission',
        'access_grants.provisioner_id',
        'access_requests.grantee_ref',
      );
    const byId = new Map(grants.map(g => [g.id, g]));
    return rows.map(row => {
      const grant = byId.get(row.grant_id);
      const completedAt = readOptionalDate(row.completed_at);
      return {
        id: row.id,
        grantId: row.grant_id,
        requestId: row.request_id,
        action: row.action,
        provisionerId: grant?.provisioner_id ?? '',
        resourceRef: grant?.resource_ref ?? '',
        permission: grant?.permission ?? '',
        granteeRef: grant?.grantee_ref ?? '',
        instructions: row.instructions,
        state: row.state,
        createdAt: readDate(row.created_at).toISOString(),
        ...(completedAt ? { completedAt: completedAt.toISOString() } : {}),
        ...(row.completed_by ? { completedBy: row.completed_by } : {}),
        ...(row.note ? { note: row.note } : {}),
      };
    });
  }
}
