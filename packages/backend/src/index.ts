/*
 * The example portal's backend: Backstage's core plugins plus the access plugin pair.
 * Platform teams add the same `backend.add(...)` lines to their own backend.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in. `guest` and `demo` only work in development (see the README's "Demo identities").
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@jit-access/plugin-auth-backend-module-demo-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Only permission.accessAdmins administer access (the example policy the install guide uses).
backend.add(import('@jit-access/plugin-access-backend/policy'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Just-in-time access, and the provisioners that grant and remove it. Each module reads its own
// section of access config: postgres grants payments-db in the demo when its database is set up
// (app-config.demo-postgres.yaml), webhook adds nothing without endpoints, manual hands
// everything else to the resource owners.
backend.add(import('@jit-access/plugin-access-backend'));
backend.add(import('@jit-access/plugin-access-backend-module-postgres'));
backend.add(import('@jit-access/plugin-access-backend-module-webhook'));
backend.add(import('@jit-access/plugin-access-backend-module-manual'));
// Approvals in Slack: off (one log line) until access.chat.slack has a bot token and signing
// secret (docs/chat.md).
backend.add(import('@jit-access/plugin-access-backend-module-slack'));
// Approvals and requester news in Microsoft Teams: off (one log line) without access.chat.teams,
// whose client secret comes from the environment (docs/chat.md).
backend.add(import('@jit-access/plugin-access-backend-module-msteams'));

// AI assistants: the access plugin's actions (request access, follow requests, ...) served as MCP
// tools on /api/mcp-actions/v1, to the signed-in user they act for. `backend.actions` in
// app-config.yaml says which plugins' actions are offered (docs/agents.md).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// A plugin or module that refuses to start (the demo sign-in outside development, the access
// plugin without its credentials key, ...) fails `backend.start()`. Backstage then only logs an
// unhandled rejection and keeps serving the plugins that did start: end the process instead, with
// a non-zero exit code, so that a refused start cannot be mistaken for a running backend.
backend.start().catch(async (error: Error) => {
  console.error(`Backend startup failed, exiting: ${error.message}`);
  setTimeout(() => process.exit(1), 10_000).unref();
  await backend.stop().catch(() => undefined);
  process.exit(1);
});
