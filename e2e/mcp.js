// Checks of the access actions through MCP, as an AI assistant uses them: a real MCP client
// (StreamableHTTPClientTransport) on the portal's /api/mcp-actions/v1, signed in as a demo user
// with that user's own Backstage token. The approver decides in the portal (in the browser, or
// through its HTTP API where no browser runs), never through a tool. scripts/lib/smoke.js runs them; on their own, against a running portal:
//
//   node e2e/mcp.js            (E2E_BACKEND_URL, default http://localhost:7007)
const {
  E2EError,
  Person,
  assert,
  eventually,
  launchBrowser,
  see,
} = require('./lib/harness');
const { inboxCard } = require('./lib/pages');

const BACKEND = process.env.E2E_BACKEND_URL || 'http://localhost:7007';

/** Every tool the access plugin offers; none of them decides a request. */
const ACCESS_TOOLS = [
  'suggest-access',
  'search-resources',
  'list-bundles',
  'match-flows',
  'request-access',
  'list-my-requests',
  'get-request',
  'list-my-access',
  'cancel-request',
  'extend-access',
  'revoke-my-access',
];

const NEED = 'read the payments database to debug failed payouts';
const JUSTIFICATION = 'Debug failed payouts reported in INC-4242';

/** A demo user's Backstage token, as the demo sign-in page gets it. */
async function demoToken(backend, user) {
  const res = await fetch(`${backend}/api/auth/demo/refresh?user=${user}`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert(res.status === 200, `demo refresh for ${user} answered ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

/** An MCP client connected to the portal as the user whose token it sends. */
async function connect(backend, token, server = '') {
  const { Client } = require('@modelcontextprotocol/sdk/client/index.js');
  const {
    StreamableHTTPClientTransport,
  } = require('@modelcontextprotocol/sdk/client/streamableHttp.js');
  const url = new URL(`${backend}/api/mcp-actions/v1${server}`);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'jit-access-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/**
 * The tool's name for access action `name`: MCP tool names are namespaced by plugin
 * (`access.request-access`) unless `mcpActions.namespacedToolNames` is false.
 */
function toolName(tools, name) {
  const found = tools.find(t => t.name === `access.${name}` || t.name === name);
  assert(found, `no tool for access:${name}`);
  return found.name;
}

/** Calls a tool and answers its structured output; a tool error fails with its text. */
async function call(client, tools, name, args) {
  const result = await callRaw(client, tools, name, args);
  if (result.isError) {
    throw new E2EError(`${name} failed: ${textOf(result)}`);
  }
  return result.structuredContent ?? JSON.parse(textOf(result));
}

function callRaw(client, tools, name, args) {
  return client.callTool({ name: toolName(tools, name), arguments: args });
}

function textOf(result) {
  return (result.content ?? []).map(c => c.text ?? '').join(' ');
}

/** `payments-db` or `resource:default/payments-db`. */
const sameResource = (ref, name) => ref === name || ref.endsWith(`/${name}`);

async function http(backend, token, method, path, body) {
  const res = await fetch(`${backend}/api/access${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      // What the portal's own client sends: a decision taken in the portal.
      'X-Access-Channel': 'portal',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  assert(
    res.ok,
    `${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
  );
  return text ? JSON.parse(text) : undefined;
}

/** Lee approves request `id` from the inbox in the portal, as a person does. */
async function approveInBrowser(id) {
  const browser = await launchBrowser();
  try {
    const lee = await new Person(browser, 'lee').signIn();
    const card = await inboxCard(lee, id);
    await card.getByRole('button', { name: /^Approve / }).click();
    const dialog = await see(
      lee.page.getByRole('dialog'),
      'the Approve dialog',
    );
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await see(
      lee.page.getByRole('status').filter({ hasText: 'Approved the request' }),
      'the approval confirmed',
    );
  } finally {
    await browser.close();
  }
}

/**
 * The checks, in order, each reported through `check(name, fn)`. `granting` says whether
 * payments-db is granted for real (the PostgreSQL demo database), so that an approved request
 * becomes active; `browser`, whether lee approves in the browser (else through the API).
 */
async function runMcpChecks({
  check,
  backend = BACKEND,
  granting = true,
  browser = false,
}) {
  const state = {};
  const needs =
    (...keys) =>
    fn =>
    async () => {
      const missing = keys.filter(k => state[k] === undefined);
      if (missing.length) {
        throw new E2EError(`not run: needs ${missing.join(', ')}`);
      }
      await fn();
    };

  await check(
    'mcp: dana connects with her own token and lists the access tools',
    async () => {
      state.danaToken = await demoToken(backend, 'dana');
      state.leeToken = await demoToken(backend, 'lee');
      state.dana = await connect(backend, state.danaToken);
      const { tools } = await state.dana.listTools();
      for (const name of ACCESS_TOOLS) toolName(tools, name);
      const deciding = tools.filter(t => /approve|reject|decide/i.test(t.name));
      assert(
        !deciding.length,
        `tools that decide requests: ${deciding.map(t => t.name).join(', ')}`,
      );
      const requestTool = tools.find(
        t => t.name === toolName(tools, 'request-access'),
      );
      assert(
        requestTool.annotations?.readOnlyHint === false,
        'request-access is not marked as writing',
      );
      state.tools = tools;
    },
  );

  await check('mcp: a call without a token is refused', async () => {
    const res = await fetch(`${backend}/api/mcp-actions/v1`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert(res.status === 401, `answered ${res.status}`);
  });

  await check(
    'mcp: the read-only server offers only the tools that change nothing',
    async () => {
      const client = await connect(
        backend,
        await demoToken(backend, 'dana'),
        '/access-readonly',
      );
      try {
        const { tools } = await client.listTools();
        toolName(tools, 'suggest-access');
        assert(
          tools.length > 0 && tools.every(t => t.annotations?.readOnlyHint),
          `tools that write: ${tools
            .filter(t => !t.annotations?.readOnlyHint)
            .map(t => t.name)
            .join(', ')}`,
        );
        assert(
          !tools.some(t => t.name.endsWith('request-access')),
          'request-access is offered',
        );
      } finally {
        await client.close();
      }
    },
  );

  await check(
    `mcp: suggest-access answers payments-db read first for “${NEED}”`,
    needs('dana')(async () => {
      const { suggestions } = await call(
        state.dana,
        state.tools,
        'suggest-access',
        {
          need: NEED,
        },
      );
      const first = suggestions[0];
      assert(first, 'no suggestion');
      assert(
        first.kind === 'resource' &&
          sameResource(first.resourceRef, 'payments-db') &&
          first.permission === 'read',
        `the first suggestion is ${first.kind} ${
          first.resourceRef ?? first.bundleId
        } ${first.permission ?? ''}`,
      );
      assert(first.requiresApproval, 'the suggestion needs no approval');
      assert(first.reasons.length > 0, 'no reasons given');
      state.suggestion = first;
    }),
  );

  await check(
    'mcp: request-access for it waits for approval, recorded as made through an action',
    needs('suggestion')(async () => {
      const { resourceRef, permission, duration } = state.suggestion;
      const { requests } = await call(
        state.dana,
        state.tools,
        'request-access',
        {
          items: [{ resourceRef, permission }],
          ...(duration ? { duration } : {}),
          justification: JUSTIFICATION,
        },
      );
      assert(requests.length === 1, `${requests.length} requests made`);
      const [request] = requests;
      assert(
        request.status === 'pending_approval',
        `the request is ${request.status}`,
      );
      assert(request.channel === 'action', `channel ${request.channel}`);
      state.requestId = request.id;
    }),
  );

  await check(
    'mcp: the request waits in lee’s inbox, marked as made through an action',
    needs('requestId')(async () => {
      const inbox = await eventually(async () => {
        const page = await http(backend, state.leeToken, 'GET', '/inbox');
        return page.items.find(r => r.id === state.requestId) && page;
      }, `request ${state.requestId} in lee’s inbox`);
      const request = inbox.items.find(r => r.id === state.requestId);
      assert(request.channel === 'action', `channel ${request.channel}`);
    }),
  );

  await check(
    'mcp: lee approves it in the portal; dana’s list-my-access shows it active',
    needs('requestId')(async () => {
      const approved = browser
        ? await approveInBrowser(state.requestId).then(() =>
            http(
              backend,
              state.leeToken,
              'GET',
              `/requests/${state.requestId}`,
            ),
          )
        : await http(
            backend,
            state.leeToken,
            'POST',
            `/requests/${state.requestId}/approve`,
            {},
          );
      assert(
        ['granting', 'active'].includes(approved.status),
        `the approved request is ${approved.status}`,
      );
      if (!granting) return;
      const mine = await eventually(
        async () => {
          const { access } = await call(
            state.dana,
            state.tools,
            'list-my-access',
            {},
          );
          return access.find(
            a =>
              a.requestId === state.requestId ||
              (sameResource(a.resourceRef, 'payments-db') &&
                a.permission === 'read'),
          );
        },
        'payments-db read among dana’s access',
        30_000,
      );
      assert(
        !mine.status || mine.status === 'active',
        `the access is ${mine.status}`,
      );
      const { request } = await call(state.dana, state.tools, 'get-request', {
        requestId: state.requestId,
      });
      assert(request.status === 'active', `the request is ${request.status}`);
      assert(
        request.audit.some(e => e.channel === 'action'),
        'the history does not say the request came through an action',
      );
      state.active = true;
    }),
  );

  await check(
    'mcp: revoke-my-access ends it',
    needs('active')(async () => {
      const { request } = await call(
        state.dana,
        state.tools,
        'revoke-my-access',
        {
          requestId: state.requestId,
          reason: 'Debugging done',
        },
      );
      assert(
        ['revoking', 'revoked'].includes(request.status),
        `the request is ${request.status}`,
      );
    }),
  );

  await check(
    'mcp: through an action, the automatic self-service flow still waits for a person',
    needs('dana')(async () => {
      const { requests } = await call(
        state.dana,
        state.tools,
        'request-access',
        {
          items: [{ resourceRef: 'demo-sandbox', permission: 'use' }],
          duration: 'PT15M',
          justification: 'Try the new checkout flow in a sandbox',
        },
      );
      const [request] = requests;
      assert(
        request.status === 'pending_approval',
        `the request is ${request.status}`,
      );
      assert(request.channel === 'action', `channel ${request.channel}`);
      const { request: cancelled } = await call(
        state.dana,
        state.tools,
        'cancel-request',
        { requestId: request.id },
      );
      assert(
        cancelled.status === 'cancelled',
        `cancel left it ${cancelled.status}`,
      );
    }),
  );

  await check(
    'mcp: a flow that refuses assistants refuses the request with a clear error',
    needs('dana')(async () => {
      const result = await callRaw(state.dana, state.tools, 'request-access', {
        items: [{ resourceRef: 'aws-prod-admin', permission: 'assume' }],
        duration: 'PT1H',
        justification: 'Rotate the production KMS keys for CHG-77',
        ticket: { type: 'change', id: 'CHG-77' },
        answers: { 'change-scope': 'The KMS key policy' },
      });
      assert(result.isError, 'the request was accepted');
      const text = textOf(result);
      assert(
        /assistant|agent|action/i.test(text),
        `the error does not say why: ${text}`,
      );
      const { requests } = await call(
        state.dana,
        state.tools,
        'list-my-requests',
        {},
      );
      assert(
        !requests.some(r =>
          r.items.some(i => sameResource(i.resourceRef, 'aws-prod-admin')),
        ),
        'a request for aws-prod-admin was made anyway',
      );
    }),
  );

  await state.dana?.close().catch(() => undefined);
}

async function main() {
  const results = { passed: 0, failed: 0 };
  await runMcpChecks({
    check: async (name, fn) => {
      try {
        await fn();
        results.passed += 1;
        console.log(`  ok  ${name}`);
      } catch (error) {
        results.failed += 1;
        console.log(`  FAIL ${name}: ${error.message}`);
      }
    },
  });
  console.log(`mcp: ${results.passed} passed, ${results.failed} failed`);
  process.exit(results.failed > 0 ? 1 : 0);
}

if (require.main === module) {
  main().catch(error => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { runMcpChecks };
