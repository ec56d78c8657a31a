import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  aRequest,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { ApprovalsPage } from '../Approvals/ApprovalsPage';
import { RequestPage } from './RequestPage';

const lee = 'user:default/lee';
const byAssistant = aRequest({
  id: 'req-1',
  channel: 'action',
  status: 'pending_approval',
  approvals: [],
  approvers: [{ stage: 0, entityRef: lee, why: 'owner of payments-db' }],
});
const audit = [
  {
    seq: 1,
    actorRef: 'user:default/dana',
    action: 'submit',
    toStatus: 'pending_approval',
    details: { channel: 'action' },
    at: '2025-03-01T10:00:00Z',
  },
  {
    seq: 2,
    actorRef: 'user:default/dana',
    action: 'note',
    details: { channel: 'somewhere-new' },
    at: '2025-03-01T10:01:00Z',
  },
];

describe('where a request was made', () => {
  it('shows on the request page and in its timeline', async () => {
    await renderWithApi(
      <Routes>
        <Route path="/access/requests/:id" element={<RequestPage />} />
      </Routes>,
      mockAccessApi({ getRequest: async () => details(byAssistant, audit) }),
      { routeEntries: ['/access/requests/req-1'] },
    );

    await screen.findByRole('heading', { name: 'payments-db (read)' });
    expect(
      screen.getAllByText('Requested through an assistant').length,
    ).toBeGreaterThan(0);
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    // The actor is a link to their catalog page, so the line spans elements.
    const [submitted] = within(timeline).getAllByRole('listitem');
    expect(submitted.textContent).toMatch(
      /by dana · Requested through an assistant$/,
    );
    // A channel this version does not know is left out, not shown raw.
    expect(within(timeline).queryByText(/somewhere-new/)).toBeNull();
  });

  it('shows the portal for a request made there', async () => {
    await renderWithApi(
      <Routes>
        <Route path="/access/requests/:id" element={<RequestPage />} />
      </Routes>,
      mockAccessApi({
        getRequest: async () => details(aRequest({ channel: 'portal' })),
      }),
      { routeEntries: ['/access/requests/req-1'] },
    );

    expect(
      await screen.findByText('Requested in the portal'),
    ).toBeInTheDocument();
  });

  it('tells the approver in the inbox that an assistant asked', async () => {
    await renderWithApi(
      <ApprovalsPage />,
      mockAccessApi({
        getCaller: async () => ({
          userEntityRef: lee,
          ownershipEntityRefs: [lee],
          isAdmin: false,
        }),
        getInbox: async options => ({
          items:
            options?.state === 'decided'
              ? []
              : [
                  byAssistant,
                  aRequest({
                    id: 'req-2',
                    channel: 'api',
                    granteeRef: 'user:default/sam',
                    status: 'pending_approval',
                    approvals: [],
                    approvers: [{ stage: 0, entityRef: lee, why: 'named' }],
                  }),
                ],
        }),
      }),
    );

    const card = await screen.findByRole('article', {
      name: 'dana: payments-db (read)',
    });
    expect(
      within(card).getByText('Requested through an assistant'),
    ).toBeInTheDocument();
    expect(within(card).getByRole('note')).toHaveTextContent(
      'An AI assistant asked for this on behalf of dana',
    );
    const other = screen.getByRole('article', {
      name: 'sam: payments-db (read)',
    });
    expect(
      within(other).getByText('Requested through the API'),
    ).toBeInTheDocument();
    expect(within(other).queryByRole('note')).toBeNull();
  });

  it('shows a decision made in Slack, with the Slack user, on the stage and in the timeline', async () => {
    const decided = aRequest({
      id: 'req-2',
      channel: 'portal',
      status: 'granting',
      approvals: [
        {
          stage: 0,
          approverRef: lee,
          decision: 'approve',
          decidedAt: '2025-03-01T10:05:00Z',
          channel: 'slack',
          chatUserId: 'U04LEE',
        },
      ],
      approvers: [{ stage: 0, entityRef: lee, why: 'owner of payments-db' }],
    });
    await renderWithApi(
      <Routes>
        <Route path="/access/requests/:id" element={<RequestPage />} />
      </Routes>,
      mockAccessApi({
        getRequest: async () =>
          details(decided, [
            {
              seq: 3,
              actorRef: lee,
              action: 'approve',
              fromStatus: 'pending_approval',
              toStatus: 'granting',
              details: { channel: 'slack', chatUserId: 'U04LEE' },
              at: '2025-03-01T10:05:00Z',
            },
          ]),
      }),
      { routeEntries: ['/access/requests/req-2'] },
    );

    await screen.findByRole('heading', { name: 'payments-db (read)' });
    expect(screen.getByText(/Approved by/).textContent).toMatch(/ in Slack$/);
    const timeline = screen.getByRole('list', { name: 'Timeline' });
    const [approved] = within(timeline).getAllByRole('listitem');
    expect(approved.textContent).toMatch(
      /by lee · Decided in Slack \(U04LEE\)$/,
    );
  });
});
