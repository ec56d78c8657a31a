import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ListRequestsOptions } from '@jit-access/plugin-access-common';
import { aRequest, mockAccessApi } from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { MyAccessPage } from './MyAccessPage';

const active = aRequest();
const pending = aRequest({
  id: 'req-p',
  status: 'pending_approval',
  approvals: [],
});
const expired = aRequest({ id: 'req-x', status: 'expired' });

function listRequests(options?: ListRequestsOptions) {
  const statuses = options?.status ?? [];
  if (statuses.includes('expired'))
    return Promise.resolve({ items: [expired] });
  if (statuses[0] === 'active') return Promise.resolve({ items: [active] });
  if (statuses[0] === 'pending_approval')
    return Promise.resolve({
      items: [pending],
      nextCursor: options?.limit === 100 ? 'more' : undefined,
    });
  return Promise.resolve({ items: [] });
}

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(20_000);

describe('MyAccessPage', () => {
  it('counts per status and filters when a widget is clicked', async () => {
    const api = mockAccessApi({ listRequests });
    await renderWithApi(<MyAccessPage />, api);

    const widgets = screen.getByRole('group', { name: 'Filter by status' });
    expect(
      await within(widgets).findByRole('button', { name: '1 Active' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      within(widgets).getByRole('button', { name: '1+ Pending approval' }),
    ).toBeInTheDocument();
    expect(
      within(widgets).getByRole('button', { name: '0 Failed' }),
    ).toBeInTheDocument();

    expect(
      await screen.findByRole('article', { name: 'payments-db (read)' }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(widgets).getByRole('button', { name: '0 Failed' }),
    );
    expect(await screen.findByText('No failed requests')).toBeInTheDocument();
  });

  it('shows current access with its end, a countdown and the actions', async () => {
    await renderWithApi(<MyAccessPage />, mockAccessApi({ listRequests }));

    const card = await screen.findByRole('article', {
      name: 'payments-db (read)',
    });
    expect(within(card).getByRole('timer')).toHaveTextContent(
      /^(29|30)m \d\ds left$/,
    );
    expect(
      within(card).getByRole('button', { name: 'Extend' }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: 'Revoke' }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', {
        name: 'Access details for payments-db (read)',
      }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: 'Details of payments-db (read)' }),
    ).toHaveAttribute('href', '/access/requests/req-1');
  });

  it('still offers access details after the credentials were shown once', async () => {
    const shown = aRequest();
    shown.items = [
      {
        ...shown.items[0],
        credentialsReady: undefined,
        credentialsShown: true,
      },
    ];
    await renderWithApi(
      <MyAccessPage />,
      mockAccessApi({
        listRequests: async o =>
          o?.status?.[0] === 'active' ? { items: [shown] } : { items: [] },
      }),
    );

    const card = await screen.findByRole('article', {
      name: 'payments-db (read)',
    });
    expect(
      within(card).getByRole('button', {
        name: 'Access details for payments-db (read)',
      }),
    ).toBeInTheDocument();
  });

  it('hides Extend while the end is far or the flow allows no more', async () => {
    const far = aRequest({
      endAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      items: [{ ...aRequest().items[0], expiresAt: undefined }],
    });
    const used = aRequest({
      id: 'req-u',
      extension: { used: 2, max: 2, requiresApproval: false, durations: [] },
    });
    await renderWithApi(
      <MyAccessPage />,
      mockAccessApi({
        listRequests: async o =>
          o?.status?.[0] === 'active' ? { items: [far, used] } : { items: [] },
      }),
    );

    const cards = await screen.findAllByRole('article');
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      expect(
        within(card).queryByRole('button', { name: 'Extend' }),
      ).not.toBeInTheDocument();
    }
  });

  it('lists the three most recent closed requests and favorites, with request again', async () => {
    const api = mockAccessApi({
      listRequests,
      listFavorites: async () => ({
        items: [
          {
            id: 'fav-1',
            name: 'Ledger read',
            template: {
              items: [
                { resourceRef: 'resource:default/ledger', permission: 'read' },
              ],
              duration: 'PT1H',
            },
            createdAt: '2025-01-01T00:00:00Z',
          },
        ],
      }),
      requestFavorite: async () => ({
        submissionId: 's',
        requests: [aRequest({ id: 'req-f' })],
      }),
    });
    await renderWithApi(<MyAccessPage />, api);

    const recent = await screen.findByRole('list', { name: 'Recent requests' });
    expect(within(recent).getByText(/Expired/)).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({
        view: 'mine',
        limit: 3,
        status: expect.arrayContaining(['expired', 'revoked']),
      }),
    );

    const favorites = await screen.findByRole('list', { name: 'Favorites' });
    expect(
      within(favorites).getByText('ledger (read) · 1 hour'),
    ).toBeInTheDocument();
    await userEvent.click(
      within(favorites).getByRole('button', {
        name: 'Request again: Ledger read',
      }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );

    await waitFor(() =>
      expect(api.requestFavorite).toHaveBeenCalledWith('fav-1', {
        justification: undefined,
      }),
    );
    expect(await screen.findByText('Submitted 1 request.')).toBeInTheDocument();
  });

  it('shows a flow’s refusal when requesting a favorite again', async () => {
    const api = mockAccessApi({
      listFavorites: async () => ({
        items: [
          {
            id: 'fav-1',
            name: 'Ledger read',
            template: {},
            createdAt: '2025-01-01T00:00:00Z',
          },
        ],
      }),
      requestFavorite: async () => {
        throw Object.assign(new Error('x'), {
          statusCode: 400,
          body: {
            error: {
              message:
                "justification: flow 'standard' requires a justification",
            },
          },
        });
      },
    });
    await renderWithApi(<MyAccessPage />, api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Request again: Ledger read' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );

    expect(
      await screen.findByText(
        "justification: flow 'standard' requires a justification",
      ),
    ).toBeInTheDocument();
  });

  it('has designed empty states', async () => {
    await renderWithApi(<MyAccessPage />, mockAccessApi());

    expect(
      await screen.findByText('You have no active access'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toHaveAttribute('href', '/access/new');
    expect(
      await screen.findByText('No closed requests yet'),
    ).toBeInTheDocument();
    expect(await screen.findByText('No favorites yet')).toBeInTheDocument();
  });
});
