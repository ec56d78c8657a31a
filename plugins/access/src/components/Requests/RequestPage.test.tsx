import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  aRequest,
  apiError,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { RequestPage } from './RequestPage';

const audit = [
  {
    seq: 1,
    actorRef: 'user:default/dana',
    action: 'submit',
    toStatus: 'pending_approval',
    at: '2025-03-01T10:00:00Z',
  },
  {
    seq: 2,
    actorRef: 'user:default/lee',
    action: 'approve',
    fromStatus: 'pending_approval',
    toStatus: 'granting',
    details: { reason: 'Fine for the incident' },
    at: '2025-03-01T10:05:00Z',
  },
];

async function renderPage(api = mockAccessApi()) {
  await renderWithApi(
    <Routes>
      <Route path="/access/requests/:id" element={<RequestPage />} />
    </Routes>,
    api,
    { routeEntries: ['/access/requests/req-1'] },
  );
  return api;
}

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(20_000);

describe('RequestPage', () => {
  it('shows the resources, approval stages with reasons, and the timeline', async () => {
    const api = await renderPage(
      mockAccessApi({ getRequest: async () => details(aRequest(), audit) }),
    );

    expect(
      await screen.findByRole('heading', { name: 'payments-db (read)' }),
    ).toBeInTheDocument();
    expect(api.getRequest).toHaveBeenCalledWith('req-1');
    const stages = screen.getByRole('list', { name: 'Approval stages' });
    expect(
      within(stages).getByText('Stage 1 of 1: Approved'),
    ).toBeInTheDocument();
    expect(within(stages).getByText(/^Approved/)).toHaveTextContent(
      /Approved by lee on .* — “Fine for the incident”/,
    );
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    expect(
      within(timeline).getByText('Submit → Pending approval'),
    ).toBeInTheDocument();
    expect(
      within(timeline).getByText('Approve → Granting'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Resources and permissions' }),
    ).toHaveTextContent('payments-db');
    expect(screen.getByRole('timer')).toHaveTextContent(/left/);
  });

  it('says who can still approve a pending stage and why', async () => {
    const pending = aRequest({
      status: 'pending_approval',
      approvals: [],
      stageCount: 2,
      approvers: [
        {
          stage: 0,
          entityRef: 'user:default/lee',
          why: 'owner of payments-db',
        },
        {
          stage: 1,
          entityRef: 'user:default/sec',
          why: 'member of group:default/security',
        },
      ],
    });
    await renderPage(
      mockAccessApi({ getRequest: async () => details(pending) }),
    );

    expect(
      await screen.findByText('Stage 1 of 2: Waiting for a decision'),
    ).toBeInTheDocument();
    expect(screen.getByText(/^Can still approve:/)).toHaveTextContent(
      'Can still approve: lee (owner of payments-db)',
    );
    expect(screen.getByText('Stage 2 of 2: Not started')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Cancel request' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Revoke' }),
    ).not.toBeInTheDocument();
  });

  it('offers the actions that apply now and revokes with a reason', async () => {
    const request = aRequest();
    const api = await renderPage(
      mockAccessApi({
        getRequest: async () => details(request),
        revokeRequest: async () => aRequest({ status: 'revoking' }),
      }),
    );

    const actions = await screen.findByRole('group', {
      name: 'Request actions',
    });
    // Half an hour left of four: the end is near and the flow allows two extensions.
    expect(
      within(actions).getByRole('button', { name: 'Extend' }),
    ).toBeInTheDocument();
    expect(
      within(actions).getByRole('button', { name: 'Mark favorite' }),
    ).toBeInTheDocument();
    expect(
      within(actions).queryByRole('button', { name: 'Request again' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(actions).getByRole('button', { name: 'Revoke' }),
    );
    await userEvent.type(
      screen.getByLabelText('Reason (optional)'),
      'Done early',
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Revoke',
      }),
    );

    await waitFor(() =>
      expect(api.revokeRequest).toHaveBeenCalledWith('req-1', 'Done early'),
    );
    await waitFor(() => expect(api.getRequest).toHaveBeenCalledTimes(2));
  });

  it('shows a conflict when the request changed meanwhile', async () => {
    await renderPage(
      mockAccessApi({
        getRequest: async () => details(aRequest()),
        revokeRequest: async () => {
          throw apiError(409, 'The request is expired');
        },
      }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Revoke' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Revoke',
      }),
    );

    expect(
      await screen.findByText('Already changed: The request is expired'),
    ).toBeInTheDocument();
  });

  it('asks again for a closed request and lists what was created', async () => {
    const api = await renderPage(
      mockAccessApi({
        getRequest: async () => details(aRequest({ status: 'expired' })),
        requestAgain: async () => ({
          submissionId: 's2',
          requests: [aRequest({ id: 'req-9', status: 'pending_approval' })],
        }),
      }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request again' }),
    );
    await userEvent.type(
      screen.getByLabelText('Why do you need this access?'),
      'Same incident, day two',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );

    expect(await screen.findByText('Submitted 1 request.')).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /payments-db \(read\) — Pending approval/,
      }),
    ).toHaveAttribute('href', '/access/requests/req-9');
    expect(api.requestAgain).toHaveBeenCalledWith('req-1', {
      justification: 'Same incident, day two',
    });
  });

  it('saves a favorite and reports it', async () => {
    const api = await renderPage(
      mockAccessApi({
        getRequest: async () => details(aRequest({ status: 'revoked' })),
        saveFavorite: async () => ({
          id: 'f1',
          name: 'payments-db read',
          template: {},
          createdAt: '',
        }),
      }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Mark favorite' }),
    );

    await waitFor(() => expect(api.saveFavorite).toHaveBeenCalledWith('req-1'));
  });

  it('shows access details to the grantee of active access', async () => {
    await renderPage(
      mockAccessApi({ getRequest: async () => details(aRequest()) }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Access details' }),
    );

    expect(
      screen.getByRole('dialog', { name: /Access details: payments-db/ }),
    ).toBeInTheDocument();
  });

  it('keeps access details once the credentials were shown, for a reset', async () => {
    const shown = aRequest();
    shown.items = [
      {
        ...shown.items[0],
        credentialsReady: undefined,
        credentialsShown: true,
      },
    ];
    await renderPage(mockAccessApi({ getRequest: async () => details(shown) }));

    await userEvent.click(
      await screen.findByRole('button', { name: 'Access details' }),
    );

    expect(
      screen.getByText(/already shown. Reset them to get new ones/),
    ).toBeInTheDocument();
  });

  it('explains a request that cannot be found', async () => {
    await renderPage(
      mockAccessApi({
        getRequest: async () => {
          throw apiError(404, 'No request req-1');
        },
      }),
    );

    expect(
      await screen.findByText(
        'Could not load this request. Not found: No request req-1',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
