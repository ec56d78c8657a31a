import { screen, waitFor, within } from '@testing-library/react';
import { ApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { AccessApi } from '../../api';
import {
  aFlow,
  aRequest,
  aResource,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { NewRequestPage } from './NewRequestPage';

const paymentsDb = aResource();
const ledger = aResource({
  ref: 'resource:default/ledger',
  title: 'Ledger',
  type: 'table',
  permissions: ['read'],
});
const db = { resourceRef: paymentsDb.ref, permission: 'read' };

const strictFlow = aFlow({
  durations: ['PT1H', 'PT4H'],
  ticket: { required: true, types: ['jira'], pattern: '^OPS-\\d+$' },
  questions: [
    {
      id: 'env',
      label: 'Which environment?',
      type: 'choice',
      choices: ['prod', 'staging'],
      required: true,
    },
  ],
});

async function renderPage(
  overrides: Partial<AccessApi> = {},
  path = '/access/new',
  apis: Array<readonly [ApiRef<any>, any]> = [],
) {
  const api = mockAccessApi({
    listResources: async () => ({ items: [paymentsDb, ledger] }),
    matchFlows: async items => ({
      flows: [{ flow: strictFlow, items }],
      uncovered: [],
    }),
    ...overrides,
  });
  await renderWithApi(
    <Routes>
      <Route path="/access/new" element={<NewRequestPage />} />
    </Routes>,
    api,
    { routeEntries: [path], apis },
  );
  return api;
}

async function chooseOption(label: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: label }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

async function selectPaymentsDbAndGoOn() {
  await userEvent.click(
    await screen.findByRole('checkbox', { name: 'Select Payments DB' }),
  );
  expect(screen.getByText('1 of at most 1,000 selected')).toBeInTheDocument();
  await userEvent.click(screen.getByRole('button', { name: 'Next' }));
  await screen.findByRole('form', { name: 'Additional details' });
}

// Long forms typed key by key take a while.
jest.setTimeout(30_000);

describe('NewRequestPage', () => {
  it('requests by resource, marks what the flow still needs, then submits', async () => {
    const api = await renderPage({
      submitRequest: async () => ({
        submissionId: 's1',
        requests: [aRequest({ id: 'req-7', status: 'pending_approval' })],
      }),
    });

    await selectPaymentsDbAndGoOn();
    expect(api.matchFlows).toHaveBeenCalledWith([db], undefined);

    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      screen.getByText(
        'Some details are missing or wrong; see the marked fields.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Choose a duration')).toBeInTheDocument();
    expect(screen.getByText('A ticket is required')).toBeInTheDocument();
    expect(
      screen.getByText('Say why you need this access'),
    ).toBeInTheDocument();
    expect(api.submitRequest).not.toHaveBeenCalled();

    await chooseOption(/Duration/, '4 hours');
    await chooseOption(/Ticket type/, 'jira');
    await userEvent.type(screen.getByLabelText(/Ticket id/), 'BUG-1');
    await chooseOption(/Which environment\?/, 'prod');
    await userEvent.type(
      screen.getByLabelText(/Why do you need this access\?/),
      'Investigate OPS-12 ledger drift',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      screen.getByText(/The ticket id does not have the expected form/),
    ).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText(/Ticket id/));
    await userEvent.type(screen.getByLabelText(/Ticket id/), 'OPS-12');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );

    expect(
      await screen.findByText('Submitted: 1 request created.'),
    ).toBeInTheDocument();
    // Each request created names its flow by title, not by id.
    const created = screen.getByRole('list', { name: 'Requests created' });
    expect(created).toHaveTextContent('flow Standard access');
    expect(created).not.toHaveTextContent('flow standard');
    expect(api.submitRequest).toHaveBeenCalledWith({
      items: [db],
      duration: 'PT4H',
      justification: 'Investigate OPS-12 ledger drift',
      ticket: { id: 'OPS-12', type: 'jira' },
      answers: { env: 'prod' },
      granteeRef: undefined,
      flowId: undefined,
    });
    expect(
      screen.getByRole('link', { name: 'payments-db (read)' }),
    ).toHaveAttribute('href', '/access/requests/req-7');
  });

  it('keeps the rows, and the focus on one, while a search loads', async () => {
    let answer: (page: { items: (typeof paymentsDb)[] }) => void = () => {};
    const api = await renderPage({
      listResources: jest.fn(async (query: { q?: string }) =>
        query.q
          ? new Promise<{ items: (typeof paymentsDb)[] }>(resolve => {
              answer = resolve;
            })
          : { items: [paymentsDb, ledger] },
      ),
    });
    const box = await screen.findByRole('checkbox', {
      name: 'Select Payments DB',
    });
    await userEvent.type(screen.getByLabelText('Search resources'), 'pay');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'pay' }),
      ),
    );
    box.focus();
    // Loading: the same row is there, marked busy, and keeps the focus.
    expect(screen.getByRole('progressbar')).toHaveAccessibleName(
      'Loading resources',
    );
    expect(screen.getByRole('checkbox', { name: 'Select Payments DB' })).toBe(
      box,
    );
    expect(box).toHaveFocus();
    answer({ items: [paymentsDb] });
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('checkbox', { name: 'Select Payments DB' })).toBe(
      box,
    );
    expect(box).toHaveFocus();
    expect(
      screen.queryByRole('checkbox', { name: 'Select Ledger' }),
    ).not.toBeInTheDocument();
  });

  it('filters resources by type and permission, selects all and shows the selection', async () => {
    const api = await renderPage();

    await screen.findByRole('checkbox', { name: 'Select Ledger' });
    await chooseOption(/^Resource type Any type/, 'table');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        expect.objectContaining({ type: 'table', limit: 50 }),
      ),
    );
    await chooseOption(/^Permission Any permission/, 'write');
    await waitFor(() =>
      expect(api.listResources).toHaveBeenLastCalledWith(
        expect.objectContaining({ type: 'table', permission: 'write' }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Select all' }));
    expect(
      await screen.findByText('2 of at most 1,000 selected'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Show selected' }),
    );
    const table = screen.getByRole('table', { name: 'Resources' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
  });

  it('asks which flow to use when several cover the selection, showing what differs', async () => {
    const quick = aFlow({
      id: 'quick',
      title: 'Quick read',
      durations: ['PT1H'],
      approval: { stages: [], requireReason: 'none', allowSelfApproval: false },
      justification: { required: false, minLength: 0 },
    });
    const long = aFlow({
      id: 'long',
      title: 'Long read',
      durations: ['P1D'],
      justification: { required: false, minLength: 0 },
    });
    const api = await renderPage({
      matchFlows: async items => ({
        flows: [
          { flow: quick, items },
          { flow: long, items },
        ],
        uncovered: [],
      }),
      submitRequest: async () => ({
        submissionId: 's',
        requests: [aRequest()],
      }),
    });

    await selectPaymentsDbAndGoOn();
    const choice = screen.getByRole('radiogroup', { name: 'Flow' });
    expect(
      screen.getByText('1 hour (at most 8 hours) · no approval'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('1 day (at most 8 hours) · 1 approval stage'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(screen.getByText('Choose which flow to use')).toBeInTheDocument();

    await userEvent.click(
      within(choice).getByRole('radio', { name: /Quick read/ }),
    );
    // The only duration the chosen flow offers is picked for the person.
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() =>
      expect(api.submitRequest).toHaveBeenCalledWith(
        expect.objectContaining({ flowId: 'quick', duration: 'PT1H' }),
      ),
    );
  });

  it('warns about items no flow covers and removes them', async () => {
    await renderPage({
      matchFlows: async items => ({
        flows: [],
        uncovered: items.map(i => ({
          ...i,
          reason: 'no flow lets you request it',
        })),
      }),
    });

    await selectPaymentsDbAndGoOn();
    expect(
      screen.getByText(/payments-db \(read\): no flow lets you request it/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Remove them' }));
    expect(
      await screen.findByText('Select what you need first.'),
    ).toBeInTheDocument();
  });

  it('shows the backend’s refusal of the submission', async () => {
    const easy = aFlow({
      durations: ['PT1H'],
      justification: { required: false, minLength: 0 },
    });
    await renderPage({
      matchFlows: async items => ({
        flows: [{ flow: easy, items }],
        uncovered: [],
      }),
      submitRequest: async () => {
        throw apiError(403, 'You lack the access.request.create permission');
      },
    });

    await selectPaymentsDbAndGoOn();
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );

    expect(
      await screen.findByText(
        'Not allowed: You lack the access.request.create permission',
      ),
    ).toBeInTheDocument();
  });

  it('gives live feedback on the justification', async () => {
    const api = await renderPage({
      scoreJustification: async () => ({
        score: 40,
        level: 'fair',
        checks: [
          { id: 'describes-task', label: 'Describes the task', passed: true },
          {
            id: 'references-ticket',
            label: 'References a ticket',
            passed: false,
            hint: 'Add the ticket id',
          },
        ],
      }),
    });

    await selectPaymentsDbAndGoOn();
    await userEvent.type(
      screen.getByLabelText(/Why do you need this access\?/),
      'Fix the nightly export',
    );

    const feedback = screen.getByRole('status', {
      name: 'Justification feedback',
    });
    expect(
      await within(feedback).findByText('Justification: fair'),
    ).toBeInTheDocument();
    expect(within(feedback).getByText('Add the ticket id')).toBeInTheDocument();
    expect(api.scoreJustification).toHaveBeenLastCalledWith(
      'Fix the nightly export',
      undefined,
    );
  });

  it('offers requesting on behalf of someone when a flow allows it, and matches for them', async () => {
    const delegable = aFlow({ onBehalfOf: true });
    const api = await renderPage({
      matchFlows: async items => ({
        flows: [{ flow: delegable, items }],
        uncovered: [],
      }),
    });

    await selectPaymentsDbAndGoOn();
    await userEvent.type(
      screen.getByLabelText('Request on behalf of'),
      'user:default/sam',
    );
    await userEvent.tab();

    await waitFor(() =>
      expect(api.matchFlows).toHaveBeenLastCalledWith([db], 'user:default/sam'),
    );
  });

  it('picks the person to request for from the catalog', async () => {
    const delegable = aFlow({ onBehalfOf: true });
    const catalogApi = {
      getEntities: jest.fn(async () => ({
        items: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'sam', namespace: 'default' },
            spec: { profile: { displayName: 'Sam Data' } },
          },
        ],
      })),
    };
    const api = await renderPage(
      {
        matchFlows: async items => ({
          flows: [{ flow: delegable, items }],
          uncovered: [],
        }),
      },
      '/access/new',
      [[catalogApiRef, catalogApi]],
    );

    await selectPaymentsDbAndGoOn();
    await userEvent.type(screen.getByLabelText('Request on behalf of'), 'Sam');
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Sam Data (user:default/sam)',
      }),
    );
    await waitFor(() =>
      expect(api.matchFlows).toHaveBeenLastCalledWith([db], 'user:default/sam'),
    );
    expect(screen.getByLabelText('Request on behalf of')).toHaveValue(
      'user:default/sam',
    );
  });

  it('requests a whole bundle', async () => {
    const bundle = {
      id: 'oncall',
      title: 'On-call kit',
      description: 'Everything for a shift',
      items: [db, { resourceRef: ledger.ref, permission: 'read' }],
    };
    const api = await renderPage({
      listBundles: async () => ({
        items: [bundle, { id: 'audit', title: 'Audit', items: [] }],
      }),
      submitRequest: async () => ({
        submissionId: 's',
        requests: [aRequest()],
      }),
      matchFlows: async items => ({
        flows: [
          {
            flow: aFlow({
              durations: ['PT1H'],
              justification: { required: false, minLength: 0 },
            }),
            items,
          },
        ],
        uncovered: [],
      }),
    });

    await userEvent.click(screen.getByRole('tab', { name: 'By bundle' }));
    expect(await screen.findByText('2 bundles')).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Search bundles'), 'call');
    expect(screen.getByText('1 bundle')).toBeInTheDocument();

    const card = screen.getByRole('article', { name: 'On-call kit' });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Select bundle' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Submit request' }),
    );

    await waitFor(() =>
      expect(api.submitRequest).toHaveBeenCalledWith(
        expect.objectContaining({ bundle: { id: 'oncall' } }),
      ),
    );
    expect(api.submitRequest.mock.calls[0][0].items).toBeUndefined();
  });

  it('picks some resources of a bundle', async () => {
    const bundle = {
      id: 'oncall',
      title: 'On-call kit',
      items: [db, { resourceRef: ledger.ref, permission: 'read' }],
    };
    await renderPage({ listBundles: async () => ({ items: [bundle] }) });

    await userEvent.click(screen.getByRole('tab', { name: 'By bundle' }));
    const card = await screen.findByRole('article', { name: 'On-call kit' });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Choose resources' }),
    );
    await userEvent.click(
      within(card).getByRole('checkbox', { name: 'ledger (read)' }),
    );

    expect(within(card).getByText(/1 picked/)).toBeInTheDocument();
    expect(screen.getByText('1 selected')).toBeInTheDocument();
  });

  it('requests by app: integration, resource type, resources, permissions', async () => {
    const api = await renderPage();

    await userEvent.click(screen.getByRole('tab', { name: 'By app' }));
    await waitFor(() =>
      expect(api.listResources).toHaveBeenCalledWith({
        cursor: undefined,
        limit: 500,
      }),
    );
    await chooseOption(/Integration/, 'postgres');
    await chooseOption(/Resource type/, 'database');
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Payments DB' }),
    );
    await userEvent.click(screen.getByRole('checkbox', { name: 'write' }));
    expect(screen.getByText('1 selected')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() =>
      expect(api.matchFlows).toHaveBeenCalledWith(
        [{ resourceRef: paymentsDb.ref, permission: 'write' }],
        undefined,
      ),
    );
  });

  it('preselects the resource of an entity page', async () => {
    const api = await renderPage(
      {},
      '/access/new?resource=resource%3Adefault%2Fledger',
    );

    expect(
      await screen.findByText('1 of at most 1,000 selected'),
    ).toBeInTheDocument();
    expect(api.listResources).toHaveBeenCalledWith({ q: 'ledger', limit: 50 });
    expect(
      screen.getByRole('checkbox', { name: 'Select Ledger' }),
    ).toBeChecked();
  });
});
