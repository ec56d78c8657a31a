import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { AccessApi, accessApiRef } from '../../api';
import { AccessPage } from './AccessPage';

describe('AccessPage', () => {
  it('shows who the backend sees behind the signed-in user', async () => {
    const accessApi: AccessApi = {
      getHealth: async () => ({ status: 'ok' }),
      getCaller: async () => ({
        userEntityRef: 'user:default/dana',
        ownershipEntityRefs: ['user:default/dana', 'group:default/payments'],
      }),
    };

    await renderInTestApp(
      <TestApiProvider apis={[[accessApiRef, accessApi]]}>
        <AccessPage />
      </TestApiProvider>,
    );

    expect(await screen.findByText('user:default/dana')).toBeInTheDocument();
    expect(
      screen.getByText('user:default/dana, group:default/payments'),
    ).toBeInTheDocument();
    expect(screen.getByText('Available')).toBeInTheDocument();
  });

  it('shows the error when the backend refuses', async () => {
    const accessApi: AccessApi = {
      getHealth: async () => ({ status: 'ok' }),
      getCaller: async () => {
        throw new Error('Missing credentials');
      },
    };

    await renderInTestApp(
      <TestApiProvider apis={[[accessApiRef, accessApi]]}>
        <AccessPage />
      </TestApiProvider>,
    );

    expect(
      await screen.findByText('Error: Missing credentials'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Available')).not.toBeInTheDocument();
  });
});
