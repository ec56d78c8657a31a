import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { FulfilmentTask, Page } from '@jit-access/plugin-access-common';
import { appendAuditEvent } from '../database/audit';
import { AccessStores } from '../database/AccessDatabase';
import { GrantStore } from '../database/grants/GrantStore';
import {
  FulfilmentTaskStore,
  TaskRecord,
} from '../database/tasks/FulfilmentTaskStore';
import { settleRequest } from '../engine/settleRequest';
import { AccessEvents, StatusChange } from '../events/AccessEvents';
import { RequestingCaller } from '../requests/RequestService';

/**
 * Grant and revoke work that a provisioner handed to people (the manual provisioner): the
 * resource owners see it and say when it is done, which moves the grant on as an API call would.
 */
export class FulfilmentService {
  private readonly tasks: FulfilmentTaskStore;
  private readonly grants: GrantStore;

  constructor(
    stores: Pick<AccessStores, 'tasks' | 'grants'>,
    private readonly options: {
      /** Where completed tasks say which requests changed and that the engine has work. */
      events?: AccessEvents;
      now?: () => Date;
    } = {},
  ) {
    this.tasks = stores.tasks;
    this.grants = stores.grants;
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
            task.completedBy ? `; completed by ${task.completedBy}` : ''
          }`,
        );
      }
      const grant = await this.grants.get(task.grantId, tx);
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
        requestId: task.requestId,
        actorRef: me,
        action: `fulfil-${task.action}`,
        details: {
          taskId: id,
          grantId: grant.id,
          resourceRef: grant.resourceRef,
          permission: grant.permission,
          ...(note?.trim() ? { note: note.trim() } : {}),
        },
        at: now,
      });
      const change = await settleRequest(tx, task.requestId, now);
      if (change) {
        changes.push(change);
      }
    });
    if (changes.length > 0) {
      await this.options.events?.emit('statusChanged', changes);
      await this.options.events?.emit('workAvailable');
    }
    const done = await this.tasks.get(id);
    const [task] = await this.hydrate(done ? [done] : []);
    return task;
  }

  private async hydrate(tasks: TaskRecord[]): Promise<FulfilmentTask[]> {
    if (tasks.length === 0) {
      return [];
    }
    const byId = await this.tasks.grantsOf(tasks.map(t => t.grantId));
    return tasks.map(task => {
      const grant = byId.get(task.grantId);
      return {
        id: task.id,
        grantId: task.grantId,
        requestId: task.requestId,
        action: task.action,
        provisionerId: grant?.provisionerId ?? '',
        resourceRef: grant?.resourceRef ?? '',
        permission: grant?.permission ?? '',
        granteeRef: grant?.granteeRef ?? '',
        instructions: task.instructions,
        state: task.state,
        createdAt: task.createdAt.toISOString(),
        ...(task.completedAt
          ? { completedAt: task.completedAt.toISOString() }
          : {}),
        ...(task.completedBy ? { completedBy: task.completedBy } : {}),
        ...(task.note ? { note: task.note } : {}),
      };
    });
  }
}
