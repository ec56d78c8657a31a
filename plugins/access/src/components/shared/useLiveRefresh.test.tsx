import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { ACCESS_SIGNAL_CHANNEL } from '@jit-access/plugin-access-common';
import { act, render } from '@testing-library/react';
import { useLiveRefresh } from './useLiveRefresh';

function Probe(props: { refresh: jest.Mock }) {
  const { live } = useLiveRefresh(props.refresh, { pollMs: 1000 });
  return <span>{live ? 'live' : 'polling'}</span>;
}

describe('useLiveRefresh', () => {
  it('refreshes on each signal of the access channel', () => {
    let deliver: (message: any) => void = () => {};
    const signalApi = {
      subscribe: jest.fn((_channel: string, onMessage: (m: any) => void) => {
        deliver = onMessage;
        return { unsubscribe: jest.fn() };
      }),
    };
    const refresh = jest.fn();
    const { getByText } = render(
      <TestApiProvider apis={[[signalApiRef, signalApi]]}>
        <Probe refresh={refresh} />
      </TestApiProvider>,
    );

    expect(getByText('live')).toBeInTheDocument();
    expect(signalApi.subscribe).toHaveBeenCalledWith(
      ACCESS_SIGNAL_CHANNEL,
      expect.any(Function),
    );
    act(() => deliver({ requestId: 'req-1', status: 'active' }));
    expect(refresh).toHaveBeenCalledWith({
      requestId: 'req-1',
      status: 'active',
    });
  });

  it('polls when the app has no signals', () => {
    jest.useFakeTimers();
    try {
      const refresh = jest.fn();
      const { getByText } = render(
        <TestApiProvider apis={[]}>
          <Probe refresh={refresh} />
        </TestApiProvider>,
      );

      expect(getByText('polling')).toBeInTheDocument();
      act(() => {
        jest.advanceTimersByTime(2500);
      });
      expect(refresh).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
