import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { accessApiRef } from '../../api';
import { mockAccessApi } from '../../__testUtils__/mockAccessApi';
import { AccessPage } from './AccessPage';

async function renderAt(path: string, api = mockAccessApi()) {
  await renderInTestApp(
    <TestApiProvider apis={[[accessApiRef, api]]}>
      <Routes>
        <Route path="/access/*" element={<AccessPage />} />
      </Routes>
    </TestApiProvider>,
    { routeEntries: [path] },
  );
  return api;
}

describe('AccessPage', () => {
  it('shows the tabs and the landing page', async () => {
    await renderAt('/access');

    expect(screen.getByRole('tab', { name: 'My access' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('tab', { name: 'Approvals' })).toBeInTheDocument();
    expect(
      await screen.findByText('You have no active access'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Admin' }),
    ).not.toBeInTheDocument();
  });

  it('selects the tab of a sub-page and navigates between tabs', async () => {
    await renderAt('/access/requests');

    expect(screen.getByRole('tab', { name: 'My requests' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      await screen.findByText('You have no requests yet'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Approvals' }));
    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
  });

  it('offers the admin tab to admins only', async () => {
    const api = mockAccessApi({
      getCaller: async () => ({
        userEntityRef: 'user:default/root',
        ownershipEntityRefs: [],
        isAdmin: true,
      }),
    });
    await renderAt('/access/admin', api);

    expect(await screen.findByRole('tab', { name: 'Admin' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(
      await screen.findByText('Reconciliation findings'),
    ).toBeInTheDocument();
  });

  it('keeps the admin page from callers that are not admins', async () => {
    const api = mockAccessApi();
    await renderAt('/access/admin', api);

    expect(await screen.findByText('Administrators only')).toBeInTheDocument();
    expect(
      screen.queryByRole('tab', { name: 'Admin' }),
    ).not.toBeInTheDocument();
    expect(api.listRequests).not.toHaveBeenCalledWith(
      expect.objectContaining({ view: 'all' }),
    );
  });
});
