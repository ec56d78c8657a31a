import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { FulfilmentTask, Page } from '@jit-access/plugin-access-common';
import { appendAuditEvent } from '../database/audit';
import { Db } from '../database/grants/grantRow';
import { GrantStore } from '../database/grants/GrantStore';
import {
  FulfilmentTaskStore,
  TaskRow,
} from '../database/tasks/FulfilmentTaskStore';
import { settleRequest } from '../engine/settleRequest';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { readDate, readOptionalDate } from '../lib/dates';
import { RequestingCaller } from '../requests/RequestService';

/**
 * Grant and revoke work that a provisioner handed to people (the manual provisioner): the
 * resource owners see it and say when it is done, which moves the grant on as an API call would.
 */
export class FulfilmentService {
  private readonly tasks: FulfilmentTaskStore;
  private readonly grants: GrantStore;

  constructor(
    db: Db,
    private readonly options: {
      /** Where completed tasks say which requests changed and that the engine has work. */
      events?: AccessEvents;
      now?: () => Date;
    } = {},
  ) {
    this.tasks = new FulfilmentTaskStore(db);
    this.grants = new GrantStore(db);
  }

  /** Tasks assigned to the caller (through the groups they are in); admins see all. */
  async list(
    caller: RequestingCaller,
    query: { state: 'open' | 'done'; limit: number; cursor?: string },
  ): Promise<Page<FulfilmentTask>> {
    const page = await this.tasks.page({
      ...query,
      ...(caller.isAdmin ? {} : { assignees: caller.ownershipEntityRefs }),
    });
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
    await this.tasks.transaction(async tx => {
      const task = await this.tasks.getForUpdate(tx, id);
      if (!task) {
        throw new NotFoundError(`No fulfilment task ${id}`);
      }
      const assignee = await this.tasks.isAssignedTo(
        tx,
        id,
        caller.ownershipEntityRefs,
      );
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
      const grant = await this.grants.get(task.grant_id, tx);
      const expected = task.action === 'grant' ? 'granting' : 'revoking';
      if (!grant || grant.state !== expected) {
        throw new ConflictError(
          `The access is ${grant?.state ?? 'gone'} now; nothing to ${
            task.action
          }`,
        );
      }
      await this.grants.completeByPeople(tx, grant, task.action, now);
      await this.tasks.markDone(tx, id, {
        at: now,
        by: me,
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
    const row = await this.tasks.get(id);
    const [task] = await this.hydrate(row ? [row] : []);
    return task;
  }

  private async hydrate(rows: TaskRow[]): Promise<FulfilmentTask[]> {
    if (rows.length === 0) {
      return [];
    }
    const byId = await this.tasks.grantsOf(rows.map(r => r.grant_id));
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
