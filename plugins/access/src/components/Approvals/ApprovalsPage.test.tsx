import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FulfilmentTask } from '@jit-access/plugin-access-common';
import { AccessApi } from '../../api';
import {
  aRequest,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { ApprovalsPage } from './ApprovalsPage';

const me = 'user:default/lee';
const waiting = aRequest({
  id: 'req-a',
  status: 'pending_approval',
  requesterRef: 'user:default/dana',
  granteeRef: 'user:default/sam',
  approvals: [],
  approvers: [
    {
      stage: 0,
      entityRef: me,
      why: 'member of group:default/payments, owners of payments-db',
    },
  ],
  ticket: { type: 'jira', id: 'OPS-12' },
  answers: { env: 'prod' },
});
const other = aRequest({
  id: 'req-b',
  status: 'pending_approval',
  granteeRef: 'user:default/kim',
  approvals: [],
  approvers: [{ stage: 0, entityRef: me, why: 'named approver' }],
  items: [
    {
      id: 'g',
      resourceRef: 'resource:default/ledger',
      permission: 'write',
      status: 'pending',
    },
  ],
});
const task: FulfilmentTask = {
  id: 't1',
  grantId: 'g1',
  requestId: 'req-a',
  action: 'grant',
  provisionerId: 'manual',
  resourceRef: 'resource:default/legacy-erp',
  permission: 'admin',
  granteeRef: 'user:default/sam',
  instructions: 'Add sam to ERP admins',
  state: 'open',
  createdAt: '2025-03-01T10:00:00Z',
};

async function renderPage(overrides: Partial<AccessApi> = {}) {
  const api = mockAccessApi({
    getCaller: async () => ({
      userEntityRef: me,
      ownershipEntityRefs: [me],
      isAdmin: false,
    }),
    getInbox: async options => ({
      items: options?.state === 'decided' ? [] : [waiting, other],
    }),
    ...overrides,
  });
  await renderWithApi(<ApprovalsPage />, api);
  return api;
}

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(20_000);

describe('ApprovalsPage', () => {
  it('shows everything needed to decide, with why I am an approver', async () => {
    await renderPage();

    const card = await screen.findByRole('article', {
      name: 'sam: payments-db (read)',
    });
    // The group is named and links to its catalog page; its ref is no longer in the text.
    const group = within(card).getByRole('link', { name: 'payments' });
    expect(group).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(group.parentElement).toHaveTextContent(
      'member of payments, owners of payments-db',
    );
    expect(card).not.toHaveTextContent('group:default/payments');
    expect(within(card).getByRole('link', { name: 'req-a' })).toHaveAttribute(
      'href',
      '/access/requests/req-a',
    );
    expect(within(card).getByText('dana')).toBeInTheDocument();
    expect(within(card).getByText('4 hours')).toBeInTheDocument();
    expect(
      within(card).getByText('Investigate OPS-12: read the ledger tables'),
    ).toBeInTheDocument();
    expect(within(card).getByText('jira OPS-12')).toBeInTheDocument();
    expect(within(card).getByText('prod')).toBeInTheDocument();
    expect(
      within(card).getByRole('table', { name: 'Resources requested for sam' }),
    ).toHaveTextContent('read');
  });

  it('rejects with the reason the flow requires', async () => {
    const strict = { ...waiting, requireReason: 'reject' as const };
    const api = await renderPage({
      getInbox: async options => ({
        items: options?.state === 'decided' ? [] : [strict, other],
      }),
      rejectRequest: async () => ({ ...strict, status: 'rejected' }),
    });

    const card = await screen.findByRole('article', {
      name: 'sam: payments-db (read)',
    });
    await userEvent.click(
      within(card).getByRole('button', {
        name: 'Reject sam: payments-db (read)',
      }),
    );

    const dialog = screen.getByRole('dialog', {
      name: 'Reject access for sam?',
    });
    expect(
      within(dialog).getByLabelText(/Reason \(required\)/),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(
      within(dialog).getByText('A reason is required for this decision'),
    ).toBeInTheDocument();
    expect(api.rejectRequest).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason \(required\)/),
      'Use the read replica',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );

    expect(
      await screen.findByText('Rejected the request of sam.'),
    ).toBeInTheDocument();
    expect(api.rejectRequest).toHaveBeenCalledWith(
      'req-a',
      'Use the read replica',
    );
  });

  it('tells who decided first when the request was already decided (409)', async () => {
    await renderPage({
      approveRequest: async () => {
        throw apiError(
          409,
          'The request is granting; decided by user:default/kim (approve)',
        );
      },
    });

    const card = await screen.findByRole('article', {
      name: 'sam: payments-db (read)',
    });
    await userEvent.click(
      within(card).getByRole('button', {
        name: 'Approve sam: payments-db (read)',
      }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve',
      }),
    );

    // The one who decided first by name, linking to their catalog page.
    const alert = await within(screen.getByRole('dialog')).findByRole('alert');
    expect(alert).toHaveTextContent(
      'Already changed: The request is granting; decided by kim (approve)',
    );
    expect(alert).not.toHaveTextContent('user:default/kim');
  });

  it('explains a refusal to decide (403)', async () => {
    await renderPage({
      approveRequest: async () => {
        throw apiError(403, 'You cannot decide on your own request');
      },
    });

    const card = await screen.findByRole('article', {
      name: 'sam: payments-db (read)',
    });
    await userEvent.click(
      within(card).getByRole('button', {
        name: 'Approve sam: payments-db (read)',
      }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve',
      }),
    );

    expect(
      await screen.findByText(
        'Not allowed: You cannot decide on your own request',
      ),
    ).toBeInTheDocument();
  });

  it('approves several at once and reports the ones that failed', async () => {
    const api = await renderPage({
      approveRequest: jest
        .fn()
        .mockResolvedValueOnce({ ...waiting, status: 'granting' })
        .mockRejectedValueOnce(apiError(409, 'The request is cancelled')),
    });

    await screen.findByRole('article', { name: 'sam: payments-db (read)' });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select all shown' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve selected (2)' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Approve all',
      }),
    );

    expect(await screen.findByText(/Approved 1\./)).toBeInTheDocument();
    expect(
      screen.getByText(
        'kim (req-b): Already changed: The request is cancelled',
      ),
    ).toBeInTheDocument();
    expect(api.approveRequest).toHaveBeenCalledWith('req-a', undefined);
    expect(api.approveRequest).toHaveBeenCalledWith('req-b', undefined);
  });

  it('asks one reason for several when a flow requires it to approve', async () => {
    const strict = { ...other, requireReason: 'both' as const };
    const api = await renderPage({
      getInbox: async options => ({
        items: options?.state === 'decided' ? [] : [waiting, strict],
      }),
      approveRequest: async id => ({ ...waiting, id, status: 'granting' }),
    });

    await screen.findByRole('article', { name: 'sam: payments-db (read)' });
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Select all shown' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve selected (2)' }),
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve all' }),
    );
    expect(
      within(dialog).getByText('A reason is required for this decision'),
    ).toBeInTheDocument();
    expect(api.approveRequest).not.toHaveBeenCalled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason \(required\)/),
      'Release night',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve all' }),
    );
    expect(await screen.findByText(/Approved 2\./)).toBeInTheDocument();
    expect(api.approveRequest).toHaveBeenCalledWith('req-b', 'Release night');
  });

  it('shows my decisions and the decisions of others under Decided', async () => {
    const decidedByMe = aRequest({
      id: 'req-c',
      status: 'active',
      approvals: [
        {
          stage: 0,
          approverRef: me,
          decision: 'approve',
          reason: 'ok',
          decidedAt: '2025-03-01T10:00:00Z',
        },
      ],
    });
    const decidedByKim = aRequest({
      id: 'req-d',
      status: 'rejected',
      granteeRef: 'user:default/sam',
      approvals: [
        {
          stage: 0,
          approverRef: 'user:default/kim',
          decision: 'reject',
          decidedAt: '2025-03-01T10:00:00Z',
        },
      ],
    });
    await renderPage({
      getInbox: async o => ({
        items: o?.state === 'decided' ? [decidedByMe, decidedByKim] : [],
      }),
    });

    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('tab', { name: 'Decided' }));

    const table = await screen.findByRole('table', {
      name: 'Decided requests',
    });
    expect(
      within(table).getByText(/You approved on .* — “ok”/),
    ).toBeInTheDocument();
    expect(within(table).getByText('Rejected by kim')).toBeInTheDocument();
  });

  it('lists fulfilment tasks for owners and marks one done', async () => {
    const api = await renderPage({
      listTasks: async o => ({ items: o?.state === 'open' ? [task] : [] }),
      completeTask: async () => ({ ...task, state: 'done' }),
    });

    await userEvent.click(
      await screen.findByRole('tab', { name: /Fulfilment tasks/ }),
    );
    const table = await screen.findByRole('table', { name: 'Tasks to do' });
    expect(
      within(table).getByText('Add sam to ERP admins'),
    ).toBeInTheDocument();

    await userEvent.click(
      within(table).getByRole('button', {
        name: 'Mark done: grant admin on legacy-erp for sam',
      }),
    );
    await userEvent.type(
      screen.getByLabelText('Note (optional)'),
      'Added in the ERP console',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mark granted' }));

    await waitFor(() =>
      expect(api.completeTask).toHaveBeenCalledWith(
        't1',
        'Added in the ERP console',
      ),
    );
  });

  it('shows a refused task completion in its dialog', async () => {
    await renderPage({
      listTasks: async o => ({ items: o?.state === 'open' ? [task] : [] }),
      completeTask: async () => {
        throw apiError(
          403,
          'Only the owners of legacy-erp can complete this task',
        );
      },
    });

    await userEvent.click(
      await screen.findByRole('tab', { name: /Fulfilment tasks/ }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: /Mark done/ }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mark granted' }));

    expect(
      await screen.findByText(
        'Not allowed: Only the owners of legacy-erp can complete this task',
      ),
    ).toBeInTheDocument();
  });

  it('hides the tasks tab from people without tasks', async () => {
    await renderPage();

    await screen.findByRole('article', { name: 'sam: payments-db (read)' });
    expect(
      screen.queryByRole('tab', { name: /Fulfilment tasks/ }),
    ).not.toBeInTheDocument();
  });
});
