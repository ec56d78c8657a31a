import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  aRequest,
  apiError,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { RequestsListPage } from './RequestsListPage';

const ledger = aRequest({
  id: 'req-2',
  status: 'pending_approval',
  granteeRef: 'user:default/sam',
  items: [
    {
      id: 'g2',
      resourceRef: 'resource:default/ledger',
      permission: 'write',
      status: 'pending',
    },
  ],
  ticket: { type: 'jira', id: 'OPS-77' },
});

// Typing into Material UI forms is slow when the machine is busy.
jest.setTimeout(20_000);

describe('RequestsListPage', () => {
  it('lists requests, filters by several statuses and asks the API to search', async () => {
    const api = mockAccessApi({
      listRequests: async (options: any) => ({
        items: options?.q ? [ledger] : [aRequest(), ledger],
      }),
    });
    await renderWithApi(<RequestsListPage view="mine" />, api);

    const table = await screen.findByRole('table', { name: 'My requests' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(api.listRequests).toHaveBeenCalledWith({
      view: 'mine',
      status: [],
      cursor: undefined,
      limit: 25,
    });

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Search requests' }),
      'OPS-77',
    );
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith({
        view: 'mine',
        status: [],
        q: 'OPS-77',
        cursor: undefined,
        limit: 25,
      }),
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'My requests' })).getAllByRole(
          'row',
        ),
      ).toHaveLength(2),
    );
    expect(screen.getByText('ledger (write)')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /Status/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Active' }));
    await userEvent.click(screen.getByRole('option', { name: 'Failed' }));
    await waitFor(() =>
      expect(api.listRequests).toHaveBeenLastCalledWith({
        view: 'mine',
        status: ['active', 'failed'],
        q: 'OPS-77',
        cursor: undefined,
        limit: 25,
      }),
    );
  });

  it('opens a request in a details panel from the keyboard', async () => {
    const api = mockAccessApi({
      listRequests: async () => ({ items: [ledger] }),
      getRequest: async () => details(ledger),
    });
    await renderWithApi(<RequestsListPage view="delegated" />, api);

    const row = await screen.findByRole('row', {
      name: 'Open request ledger (write)',
    });
    row.focus();
    await userEvent.keyboard('{Enter}');

    const panel = await screen.findByRole('dialog', {
      name: 'Request details',
    });
    expect(
      await within(panel).findByText('Stage 1 of 1: Waiting for a decision'),
    ).toBeInTheDocument();
    expect(
      within(panel).getByRole('link', { name: 'Open as a page' }),
    ).toHaveAttribute('href', '/access/requests/req-2');
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'delegated' }),
    );
  });

  it('pages with the cursor', async () => {
    const api = mockAccessApi({
      listRequests: async options =>
        options?.cursor
          ? { items: [ledger] }
          : { items: [aRequest()], nextCursor: 'next-1' },
    });
    await renderWithApi(<RequestsListPage view="mine" />, api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more requests' }),
    );

    expect(await screen.findByText('ledger (write)')).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenLastCalledWith(
      expect.objectContaining({ cursor: 'next-1' }),
    );
    expect(
      screen.queryByRole('button', { name: 'Load more requests' }),
    ).not.toBeInTheDocument();
  });

  it('has designed empty and error states', async () => {
    await renderWithApi(<RequestsListPage view="delegated" />, mockAccessApi());
    expect(
      await screen.findByText('You have not requested access for anyone else'),
    ).toBeInTheDocument();
  });

  it('explains a refusal and retries', async () => {
    const api = mockAccessApi({
      listRequests: jest
        .fn()
        .mockRejectedValueOnce(
          apiError(403, 'You lack the access.request.read permission'),
        )
        .mockResolvedValue({ items: [aRequest()] }),
    });
    await renderWithApi(<RequestsListPage view="mine" />, api);

    expect(
      await screen.findByText(
        /Not allowed: You lack the access.request.read permission/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(
      await screen.findByRole('table', { name: 'My requests' }),
    ).toBeInTheDocument();
  });
});
