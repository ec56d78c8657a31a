/**
 * The plugin's actions, for AI assistants through Backstage's actions registry (and MCP): ids
 * `access:<name>`. Finding what to request, requesting it, following requests and the access they
 * gave. Every action acts as the calling user; none approves or rejects.
 */
import { addAccessActions } from './accessActions';
import {
  AccessActionsOptions,
  ActionModule,
  createActionContext,
} from './actionContext';
import { addFindActions } from './findActions';
import { addRequestActions } from './requestActions';

export type { AccessActionsOptions } from './actionContext';

const ACTION_MODULES: ActionModule[] = [
  addFindActions,
  addRequestActions,
  addAccessActions,
];

export function registerAccessActions(options: AccessActionsOptions): void {
  const context = createActionContext(options);
  for (const addActions of ACTION_MODULES) {
    addActions(context);
  }
}
