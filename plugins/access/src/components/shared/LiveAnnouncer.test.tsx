import { signalApiRef } from '@backstage/plugin-signals-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import { LiveAnnouncer } from './LiveAnnouncer';

describe('LiveAnnouncer', () => {
  it('announces a request that changes, politely', async () => {
    let deliver: (message: any) => void = () => {};
    const signalApi = {
      subscribe: jest.fn((_channel: string, onMessage: (m: any) => void) => {
        deliver = onMessage;
        return { unsubscribe: jest.fn() };
      }),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[signalApiRef, signalApi]]}>
        <LiveAnnouncer />
      </TestApiProvider>,
    );

    const region = screen.getByRole('status');
    expect(region).toHaveAttribute('aria-live', 'polite');
    expect(region).toHaveTextContent('');
    act(() => deliver({ requestId: 'req-1', status: 'active' }));
    expect(region).toHaveTextContent('A request changed: it is now Active.');
  });
});
