import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessSuggestion } from '@jit-access/plugin-access-common';
import { Route, Routes } from 'react-router-dom';
import { AccessApi } from '../../api';
import {
  aFlow,
  aResource,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { NewRequestPage } from './NewRequestPage';

const paymentsDb = aResource();
const dbRead: AccessSuggestion = {
  kind: 'resource',
  resourceRef: paymentsDb.ref,
  title: 'Payments DB',
  permission: 'read',
  flowId: 'standard',
  flowTitle: 'Database access',
  duration: 'PT1H',
  requiresApproval: true,
  score: 12,
  reasons: ['“payments” is in its title', '“read” is one of its permissions'],
};
const ledgerRead: AccessSuggestion = {
  kind: 'resource',
  resourceRef: 'resource:default/ledger',
  title: 'Ledger',
  permission: 'read',
  requiresApproval: false,
  score: 5,
  reasons: ['“payouts” is in its description'],
};
const oncall: AccessSuggestion = {
  kind: 'bundle',
  bundleId: 'payments-oncall',
  title: 'Payments on-call',
  requiresApproval: true,
  score: 4,
  reasons: ['“payments” is in its title'],
};
const NEED = 'read the payments database to debug failed payouts';

async function renderPage(overrides: Partial<AccessApi> = {}) {
  const api = mockAccessApi({
    listResources: async () => ({ items: [paymentsDb] }),
    suggestAccess: async () => ({ items: [dbRead, ledgerRead, oncall] }),
    matchFlows: async items => ({
      flows: [{ flow: aFlow(), items }],
      uncovered: [],
    }),
    ...overrides,
  });
  await renderWithApi(
    <Routes>
      <Route path="/access/new" element={<NewRequestPage />} />
    </Routes>,
    api,
    { routeEntries: ['/access/new'] },
  );
  return api;
}

async function describeNeed(text = NEED) {
  await userEvent.type(
    await screen.findByLabelText('Describe what you need'),
    text,
  );
  await userEvent.click(screen.getByRole('button', { name: 'Suggest' }));
  return screen.findByRole('list', { name: 'Suggestions' });
}

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(30_000);

describe('NewRequestPage: describe what you need', () => {
  it('suggests what fits the need, with the reasons, and preselects the best', async () => {
    const api = await renderPage();

    const list = await describeNeed();

    expect(api.suggestAccess).toHaveBeenCalledWith({ q: NEED, limit: 5 });
    expect(
      within(list).getByText(
        'Payments DB — read · Database access · 1 hour · needs approval',
      ),
    ).toBeInTheDocument();
    expect(
      within(list).getByText(
        '“payments” is in its title; “read” is one of its permissions',
      ),
    ).toBeInTheDocument();
    expect(
      within(list).getByText('Ledger — read · granted at once'),
    ).toBeInTheDocument();
    expect(
      within(list).getByRole('checkbox', { name: 'Choose Payments DB' }),
    ).toBeChecked();
    expect(
      within(list).getByRole('checkbox', { name: 'Choose Ledger' }),
    ).not.toBeChecked();
    expect(screen.getByText('1 selected')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('form', { name: 'Additional details' });
    expect(api.matchFlows).toHaveBeenCalledWith(
      [{ resourceRef: paymentsDb.ref, permission: 'read' }],
      undefined,
    );
  });

  it('adds another suggested resource, and a bundle replaces them', async () => {
    const api = await renderPage({
      listBundles: async () => ({
        items: [
          {
            id: 'payments-oncall',
            title: 'Payments on-call',
            items: [
              { resourceRef: paymentsDb.ref, permission: 'read' },
              { resourceRef: 'resource:default/staging', permission: 'edit' },
            ],
          },
        ],
      }),
    });
    const list = await describeNeed();

    await userEvent.click(
      within(list).getByRole('checkbox', { name: 'Choose Ledger' }),
    );
    expect(await screen.findByText('2 selected')).toBeInTheDocument();

    await userEvent.click(
      within(list).getByRole('checkbox', { name: 'Choose Payments on-call' }),
    );
    await waitFor(() =>
      expect(
        within(list).getByRole('checkbox', { name: 'Choose Payments on-call' }),
      ).toBeChecked(),
    );
    expect(
      within(list).getByRole('checkbox', { name: 'Choose Payments DB' }),
    ).not.toBeChecked();
    expect(
      screen.getByRole('tabpanel', { name: 'Request by bundle' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('2 selected')).toBeInTheDocument();
    expect(api.listBundles).toHaveBeenCalled();
  });

  it('says when nothing fits, and shows a refusal', async () => {
    await renderPage({ suggestAccess: async () => ({ items: [] }) });
    await userEvent.type(
      await screen.findByLabelText('Describe what you need'),
      'water the plants',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Suggest' }));
    expect(
      await screen.findByText('Nothing matches; search or browse below.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Select what you need first.')).toBeInTheDocument();
  });

  it('shows the backend’s refusal of the need', async () => {
    await renderPage({
      suggestAccess: async () => {
        throw apiError(400, 'q must have at most 500 characters');
      },
    });
    await userEvent.type(
      await screen.findByLabelText('Describe what you need'),
      'x',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Suggest' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'q must have at most 500 characters',
    );
  });
});
