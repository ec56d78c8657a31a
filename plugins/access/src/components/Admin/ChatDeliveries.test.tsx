import { AccessChatDelivery } from '@jit-access/plugin-access-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessApi } from '../../api';
import { catalogPresentationApis } from '../../__testUtils__/catalogPresentation';
import { apiError, mockAccessApi } from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { formatDateTime } from '../shared/format';
import { ChatDeliveries } from './ChatDeliveries';

const REQUEST_ID = '6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f';

function aDelivery(
  overrides: Partial<AccessChatDelivery> = {},
): AccessChatDelivery {
  return {
    id: 'd1',
    channel: 'slack',
    kind: 'approval',
    requestId: REQUEST_ID,
    recipientRef: 'user:default/lee',
    state: 'failed',
    attempts: 5,
    nextAttemptAt: '2026-12-05T09:00:00Z',
    lastError: 'channel_not_found',
    createdAt: '2026-12-05T08:00:00Z',
    updatedAt: '2026-12-05T09:00:00Z',
    ...overrides,
  };
}

async function renderCard(overrides: Partial<AccessApi>) {
  const api = mockAccessApi(overrides);
  await renderWithApi(<ChatDeliveries />, api, {
    apis: catalogPresentationApis(),
  });
  return api;
}

describe('ChatDeliveries', () => {
  it('lists failed deliveries: chat, message, request, recipient by name, attempts, error, when', async () => {
    const api = await renderCard({
      listChatDeliveries: async () => ({
        items: [
          aDelivery(),
          aDelivery({
            id: 'd2',
            channel: 'teams',
            kind: 'requester-update',
            recipientRef: 'user:default/dana',
            attempts: 1,
            lastError: 'Forbidden: the bot is not installed for this user',
          }),
          aDelivery({
            id: 'd3',
            kind: 'approval-update',
            recipientRef: undefined,
          }),
        ],
        channels: ['slack', 'teams'],
      }),
    });

    const table = await screen.findByRole('table', { name: 'Chat deliveries' });
    expect(api.listChatDeliveries).toHaveBeenCalledWith({
      state: 'failed',
      cursor: undefined,
      limit: 25,
    });
    const [, first, second, third] = within(table).getAllByRole('row');
    expect(within(first).getByText('Slack')).toBeInTheDocument();
    expect(within(first).getByText('Approval request')).toBeInTheDocument();
    expect(
      within(first).getByRole('link', { name: REQUEST_ID }),
    ).toHaveAttribute('href', `/access/requests/${REQUEST_ID}`);
    expect(await within(first).findByText('Lee Lead')).toBeInTheDocument();
    expect(within(first).queryByText(/user:default\/lee/)).toBeNull();
    expect(within(first).getByText('5')).toBeInTheDocument();
    expect(within(first).getByText('channel_not_found')).toBeInTheDocument();
    expect(
      within(first).getByText(formatDateTime('2026-12-05T09:00:00Z', 'en-US')),
    ).toBeInTheDocument();

    expect(within(second).getByText('Microsoft Teams')).toBeInTheDocument();
    expect(within(second).getByText('Requester update')).toBeInTheDocument();
    expect(
      await within(second).findByText('Dana Developer'),
    ).toBeInTheDocument();
    expect(
      within(second).getByText(
        'Forbidden: the bot is not installed for this user',
      ),
    ).toBeInTheDocument();

    expect(within(third).getByText('Approval update')).toBeInTheDocument();
    expect(within(third).getByText('—')).toBeInTheDocument();
    expect(
      within(table).getAllByRole('button', { name: /^Retry: / }),
    ).toHaveLength(3);
  });

  it('sends a failed delivery again, then shows the list as it is now', async () => {
    const listChatDeliveries = jest
      .fn()
      .mockResolvedValueOnce({ items: [aDelivery()], channels: ['slack'] })
      .mockResolvedValue({ items: [], channels: ['slack'] });
    const api = await renderCard({
      listChatDeliveries,
      retryChatDelivery: async id =>
        aDelivery({ id, state: 'pending', attempts: 0 }),
    });

    await userEvent.click(
      await screen.findByRole('button', {
        name: `Retry: Approval request, request ${REQUEST_ID}`,
      }),
    );

    expect(api.retryChatDelivery).toHaveBeenCalledWith('d1');
    expect(
      await screen.findByText(
        `Queued again: Approval request, request ${REQUEST_ID}. It will be sent in a moment.`,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No failed chat messages'),
    ).toBeInTheDocument();
    expect(listChatDeliveries).toHaveBeenCalledTimes(2);
  });

  it('says why a retry was refused and keeps the row', async () => {
    await renderCard({
      listChatDeliveries: async () => ({
        items: [aDelivery()],
        channels: ['slack'],
      }),
      retryChatDelivery: async () => {
        throw apiError(
          409,
          'Chat delivery d1 is pending: only a failed delivery can be retried',
        );
      },
    });

    await userEvent.click(
      await screen.findByRole('button', { name: /^Retry: / }),
    );
    expect(
      await screen.findByText(
        'Could not retry. Already changed: Chat delivery d1 is pending: only a failed delivery can be retried',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /^Retry: / })).toBeEnabled();
  });

  it('has an empty state while chat is on', async () => {
    await renderCard({
      listChatDeliveries: async () => ({ items: [], channels: ['teams'] }),
    });

    expect(await screen.findByText('Chat deliveries')).toBeInTheDocument();
    expect(screen.getByText('No failed chat messages')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every chat message was delivered, or is still being retried.',
      ),
    ).toBeInTheDocument();
  });

  it('is not shown where chat is off and nothing failed', async () => {
    const api = await renderCard({});

    await waitFor(() => expect(api.listChatDeliveries).toHaveBeenCalled());
    // Let the answer arrive.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(screen.queryByText('Chat deliveries')).toBeNull();
  });

  it('says chat is off and offers no retry for failures left from before', async () => {
    await renderCard({
      listChatDeliveries: async () => ({
        items: [aDelivery()],
        channels: [],
      }),
    });

    expect(
      await screen.findByText(
        'Chat is off: no chat module is installed, so these messages cannot be sent again.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('channel_not_found')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Retry: / })).toBeNull();
  });

  it('loads failed deliveries page by page', async () => {
    const api = await renderCard({
      listChatDeliveries: async o =>
        o?.cursor
          ? {
              items: [aDelivery({ id: 'd2', lastError: 'older' })],
              channels: ['slack'],
            }
          : { items: [aDelivery()], nextCursor: 'c2', channels: ['slack'] },
    });

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Load more failed deliveries',
      }),
    );
    expect(await screen.findByText('older')).toBeInTheDocument();
    expect(screen.getByText('channel_not_found')).toBeInTheDocument();
    expect(api.listChatDeliveries).toHaveBeenLastCalledWith({
      state: 'failed',
      cursor: 'c2',
      limit: 25,
    });
  });
});
