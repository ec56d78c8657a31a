import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccessRequestItem } from '@jit-access/plugin-access-common';
import { accessApiRef } from '../../api';
import {
  aRequest,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { AccessDetailsDialog } from './AccessDetailsDialog';

const item: AccessRequestItem = aRequest().items[0];
const revealed = {
  grantId: 'grant-1',
  resourceRef: item.resourceRef,
  permission: 'read',
  credentials: { username: 'jit_dana', password: 's3cret' },
};

async function renderDialog(api = mockAccessApi(), shownItem = item) {
  const onChanged = jest.fn();
  await renderInTestApp(
    <TestApiProvider apis={[[accessApiRef, api]]}>
      <AccessDetailsDialog
        open
        item={shownItem}
        onClose={jest.fn()}
        onChanged={onChanged}
      />
    </TestApiProvider>,
  );
  return { api, onChanged };
}

describe('AccessDetailsDialog', () => {
  it('shows the credentials once, with a warning to copy them', async () => {
    const { api, onChanged } = await renderDialog(
      mockAccessApi({ revealCredentials: async () => revealed }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Show credentials' }),
    );

    expect(await screen.findByText('s3cret')).toBeInTheDocument();
    expect(screen.getByText(/they are shown only once/)).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy password' }),
    ).toBeInTheDocument();
    expect(api.revealCredentials).toHaveBeenCalledWith('grant-1');
    expect(onChanged).toHaveBeenCalled();
  });

  it('offers a reset when the backend says they were already shown (409)', async () => {
    const api = mockAccessApi({
      revealCredentials: async () => {
        throw apiError(409, 'already shown; reset to see new ones');
      },
      resetCredentials: async () => ({
        ...revealed,
        credentials: { password: 'n3w' },
      }),
    });
    await renderDialog(api);

    await userEvent.click(
      screen.getByRole('button', { name: 'Show credentials' }),
    );
    expect(
      await screen.findByText(
        'Already changed: already shown; reset to see new ones',
      ),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Reset credentials…' }),
    );
    expect(screen.getByText(/the old ones stop working/)).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Reset credentials' }),
    );

    expect(await screen.findByText('n3w')).toBeInTheDocument();
    expect(api.resetCredentials).toHaveBeenCalledWith('grant-1');
  });

  it('goes straight to the reset for credentials shown before', async () => {
    // As the backend sends it: shown, no longer ready.
    await renderDialog(mockAccessApi(), {
      ...item,
      credentialsReady: undefined,
      credentialsShown: true,
    });

    expect(screen.getByText(/already shown. Reset them/)).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Show credentials' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Reset credentials…' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/needs no credentials of its own/),
    ).not.toBeInTheDocument();
  });

  it('says when the access has no credentials of its own', async () => {
    await renderDialog(mockAccessApi(), { ...item, credentialsReady: false });

    expect(
      screen.getByText(/needs no credentials of its own/),
    ).toBeInTheDocument();
  });

  it('shows a refusal', async () => {
    await renderDialog(
      mockAccessApi({
        revealCredentials: async () => {
          throw apiError(403, 'Only the grantee can see the credentials');
        },
      }),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Show credentials' }),
    );

    expect(
      await screen.findByText(
        'Not allowed: Only the grantee can see the credentials',
      ),
    ).toBeInTheDocument();
  });
});
