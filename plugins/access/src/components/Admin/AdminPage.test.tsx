import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessApi } from '../../api';
import {
  aRequest,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { AdminPage } from './AdminPage';

const admin = {
  userEntityRef: 'user:default/root',
  ownershipEntityRefs: [],
  isAdmin: true,
};

async function renderPage(overrides: Partial<AccessApi> = {}) {
  const api = mockAccessApi({ getCaller: async () => admin, ...overrides });
  await renderWithApi(<AdminPage />, api);
  return api;
}

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(20_000);

describe('AdminPage', () => {
  it('lists all requests, and lets an admin revoke any', async () => {
    const someone = aRequest({
      requesterRef: 'user:default/sam',
      granteeRef: 'user:default/sam',
    });
    const api = await renderPage({
      listRequests: async () => ({ items: [someone] }),
      getRequest: async () => ({ ...someone, audit: [] }),
    });

    const table = await screen.findByRole('table', { name: 'All requests' });
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'all' }),
    );
    await userEvent.click(
      within(table).getByRole('row', { name: /Open request/ }),
    );

    const panel = await screen.findByRole('dialog', {
      name: 'Request details',
    });
    expect(
      await within(panel).findByRole('button', { name: 'Revoke' }),
    ).toBeInTheDocument();
  });

  it('verifies the audit chain on demand', async () => {
    const api = await renderPage({
      verifyAuditChain: jest
        .fn()
        .mockResolvedValueOnce({ ok: true, checked: 42 })
        .mockResolvedValueOnce({
          ok: false,
          checked: 7,
          brokenAt: 7,
          problem: 'hash does not match',
        }),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Verify the audit chain' }),
    );
    expect(
      await screen.findByText(
        'The audit chain is intact (42 entries checked).',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Verify the audit chain' }),
    );
    expect(
      await screen.findByText(
        'The audit chain is broken at entry 7: hash does not match (7 entries checked).',
      ),
    ).toBeInTheDocument();
    expect(api.verifyAuditChain).toHaveBeenCalledTimes(2);
  });

  it('lists reconciliation findings page by page', async () => {
    const finding = {
      id: 'f1',
      provisionerId: 'postgres',
      kind: 'untracked' as const,
      resourceRef: 'resource:default/payments-db',
      permission: 'admin',
      granteeRef: 'user:default/mallory',
      detail: 'role jit_mallory has no grant',
      createdAt: '2025-03-01T10:00:00Z',
    };
    const api = await renderPage({
      listReconciliationFindings: async o =>
        o?.cursor
          ? { items: [{ ...finding, id: 'f2', kind: 'missing' as const }] }
          : { items: [finding], nextCursor: 'c2' },
    });

    const table = await screen.findByRole('table', {
      name: 'Reconciliation findings',
    });
    expect(
      within(table).getByText('Access without a grant'),
    ).toBeInTheDocument();
    expect(
      within(table).getByText('role jit_mallory has no grant'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Load more findings' }),
    );
    expect(
      await within(table).findByText('Granted access has disappeared'),
    ).toBeInTheDocument();
    expect(api.listReconciliationFindings).toHaveBeenLastCalledWith({
      cursor: 'c2',
      limit: 25,
    });
  });

  it('shows a forbidden answer of the admin routes', async () => {
    await renderPage({
      verifyAuditChain: async () => {
        throw apiError(403, 'You lack the access.admin permission');
      },
      listReconciliationFindings: async () => {
        throw apiError(403, 'You lack the access.admin permission');
      },
    });

    expect(
      await screen.findByText(
        'Could not load reconciliation findings. Not allowed: You lack the access.admin permission',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Verify the audit chain' }),
    );
    expect(
      await screen.findByText(
        'Not allowed: You lack the access.admin permission',
      ),
    ).toBeInTheDocument();
  });

  it('shows failed chat deliveries once chat is on', async () => {
    const api = await renderPage({
      listChatDeliveries: async () => ({ items: [], channels: ['slack'] }),
    });

    expect(
      await screen.findByText('No failed chat messages'),
    ).toBeInTheDocument();
    expect(api.listChatDeliveries).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'failed' }),
    );
  });

  it('explains the page to people who are not admins', async () => {
    await renderPage({ getCaller: async () => ({ ...admin, isAdmin: false }) });

    expect(await screen.findByText('Administrators only')).toBeInTheDocument();
    expect(
      screen.getByText('This page needs the access.admin permission.'),
    ).toBeInTheDocument();
  });
});
