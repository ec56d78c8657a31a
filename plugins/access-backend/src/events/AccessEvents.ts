import { RequestStatus } from '@jit-access/plugin-access-common';

/** A request that moved from one status to another. */
export interface StatusChange {
  requestId: string;
  from: RequestStatus;
  to: RequestStatus;
}

/** What the parts of the plugin tell each other, in this process. */
export interface AccessEventMap {
  /**
   * The provisioning engine has work: an approval, a revocation, an extension or a completed
   * fulfilment task was committed.
   */
  workAvailable: undefined;
  /**
   * Requests changed status outside the command that the caller is waiting on (the engine's
   * outcomes, a completed fulfilment task): the people concerned should hear of it.
   */
  statusChanged: StatusChange[];
}

type Handler<K extends keyof AccessEventMap> = (
  payload: AccessEventMap[K],
) => void | Promise<void>;

/**
 * A small typed in-process channel, so that the request commands, the engine and fulfilment do
 * not call each other: each says what happened, and the plugin's wiring decides who listens.
 * Handlers run in the order they subscribed; `emit` resolves when all have, and a failing handler
 * fails the emit (the emitter decides whether that matters).
 */
export class AccessEvents {
  private readonly handlers: {
    [K in keyof AccessEventMap]?: Handler<K>[];
  } = {};

  on<K extends keyof AccessEventMap>(type: K, handler: Handler<K>): void {
    const list = (this.handlers[type] ?? []) as Handler<K>[];
    list.push(handler);
    this.handlers[type] = list as (typeof this.handlers)[K];
  }

  async emit<K extends keyof AccessEventMap>(
    type: K,
    ...[payload]: AccessEventMap[K] extends undefined ? [] : [AccessEventMap[K]]
  ): Promise<void> {
    for (const handler of (this.handlers[type] ?? []) as Handler<K>[]) {
      await handler(payload as AccessEventMap[K]);
    }
  }
}
