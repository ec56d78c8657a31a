import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { accessApiRef } from '../../api';
import {
  aRequest,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { ExtendDialog } from './ExtendDialog';

async function renderDialog(api = mockAccessApi(), request = aRequest()) {
  const onExtended = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[accessApiRef, api]]}>
      <ExtendDialog
        open
        request={request}
        onClose={jest.fn()}
        onExtended={onExtended}
      />
    </TestApiProvider>,
  );
  return { api, onExtended };
}

describe('ExtendDialog', () => {
  it('extends at once when the flow needs no approval', async () => {
    const later = new Date(Date.now() + 4.5 * 3600_000).toISOString();
    const { api, onExtended } = await renderDialog(
      mockAccessApi({ extendRequest: async () => aRequest({ endAt: later }) }),
    );

    expect(
      screen.getByRole('button', { name: /Extend by 4 hours/ }),
    ).toBeInTheDocument();
    expect(screen.getByText(/2 extensions left/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Extend' }));

    expect(
      await screen.findByText(/Extended: your access now ends/),
    ).toBeInTheDocument();
    expect(api.extendRequest).toHaveBeenCalledWith('req-1', {
      duration: 'PT4H',
      justification: undefined,
    });
    expect(onExtended).toHaveBeenCalled();
  });

  it('asks why and links the new pending request when the extension needs approval', async () => {
    const request = aRequest({
      extension: {
        used: 1,
        max: 2,
        requiresApproval: true,
        durations: ['PT1H', 'PT4H'],
      },
    });
    const { api } = await renderDialog(
      mockAccessApi({
        extendRequest: async () =>
          aRequest({
            id: 'req-2',
            status: 'pending_approval',
            extendsRequestId: 'req-1',
          }),
      }),
      request,
    );

    expect(
      screen.getByText(/This extension needs approval/),
    ).toBeInTheDocument();
    await userEvent.type(
      screen.getByLabelText('Why do you need more time?'),
      'Migration runs late',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Extend' }));

    expect(
      await screen.findByRole('link', { name: 'See the extension request' }),
    ).toHaveAttribute('href', '/access/requests/req-2');
    expect(api.extendRequest).toHaveBeenCalledWith('req-1', {
      duration: 'PT4H',
      justification: 'Migration runs late',
    });
  });

  it('offers the flow’s durations, the request’s own first', async () => {
    const { api } = await renderDialog(
      mockAccessApi({ extendRequest: async () => aRequest() }),
      aRequest({
        duration: 'PT4H',
        extension: {
          used: 0,
          max: 2,
          requiresApproval: false,
          durations: ['PT1H', 'PT2H', 'PT4H'],
        },
      }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: /Extend by 4 hours/ }),
    );
    expect(
      (await screen.findAllByRole('option')).map(o => o.textContent),
    ).toEqual(['4 hours', '1 hour', '2 hours']);
    await userEvent.click(screen.getByRole('option', { name: '2 hours' }));
    await userEvent.click(screen.getByRole('button', { name: 'Extend' }));

    await waitFor(() =>
      expect(api.extendRequest).toHaveBeenCalledWith('req-1', {
        duration: 'PT2H',
        justification: undefined,
      }),
    );
  });

  it('offers the flow’s first duration when the request had an end time instead', async () => {
    const { api } = await renderDialog(
      mockAccessApi({ extendRequest: async () => aRequest() }),
      aRequest({ duration: undefined }),
    );

    expect(
      screen.getByRole('button', { name: /Extend by 1 hour/ }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Extend' }));

    await waitFor(() =>
      expect(api.extendRequest).toHaveBeenCalledWith('req-1', {
        duration: 'PT1H',
        justification: undefined,
      }),
    );
  });

  it('shows the backend’s refusal', async () => {
    await renderDialog(
      mockAccessApi({
        extendRequest: async () => {
          throw apiError(409, 'No extensions left under flow standard');
        },
      }),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Extend' }));

    expect(
      await screen.findByText(
        'Already changed: No extensions left under flow standard',
      ),
    ).toBeInTheDocument();
  });
});
