import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { AccessApi } from '../../api';
import {
  aRequest,
  aResource,
  apiError,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { EntityAccessCard } from './EntityAccessCard';
import { isAccessRequestable } from './isAccessRequestable';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'payments-db',
    annotations: {
      'jit-access.io/integration': 'postgres',
      'jit-access.io/permissions': 'read,write',
    },
  },
  spec: { type: 'database', owner: 'group:payments' },
};

async function renderCard(overrides: Partial<AccessApi> = {}) {
  const api = mockAccessApi({
    listResources: async () => ({
      items: [
        aResource({ ref: 'resource:default/payments-db-replica' }),
        aResource(),
      ],
    }),
    ...overrides,
  });
  await renderWithApi(
    <EntityProvider entity={entity}>
      <EntityAccessCard />
    </EntityProvider>,
    api,
  );
  return api;
}

describe('EntityAccessCard', () => {
  it('shows what can be requested, who holds it until when, and opens New Request preselected', async () => {
    const sams = aRequest({ granteeRef: 'user:default/sam' });
    const api = await renderCard({
      listRequests: async () => ({ items: [sams] }),
    });

    const permissions = await screen.findByRole('list', {
      name: 'Permissions you can request',
    });
    expect(
      within(permissions)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual(['read', 'write']);
    const holders = screen.getByRole('table', {
      name: 'Current access holders',
    });
    expect(within(holders).getByRole('link', { name: 'sam' })).toHaveAttribute(
      'href',
      '/access/requests/req-1',
    );
    expect(within(holders).getByRole('timer')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Request access' }),
    ).toHaveAttribute(
      'href',
      '/access/new?resource=resource%3Adefault%2Fpayments-db',
    );
    expect(api.listResources).toHaveBeenCalledWith({
      q: 'payments-db',
      limit: 100,
    });
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'all', status: ['active'] }),
    );
  });

  it('falls back to the access one can see when not an admin', async () => {
    const api = await renderCard({
      listRequests: async o => {
        if (o?.view === 'all')
          throw apiError(403, 'You lack the access.admin permission');
        return { items: o?.view === 'mine' ? [aRequest()] : [] };
      },
    });

    expect(
      await screen.findByRole('link', { name: 'dana' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Only your own access and access you requested for others/,
      ),
    ).toBeInTheDocument();
    expect(api.listRequests).toHaveBeenCalledWith(
      expect.objectContaining({ view: 'delegated' }),
    );
  });

  it('says when nobody holds access', async () => {
    await renderCard();

    expect(
      await screen.findByText('Nobody holds access right now.'),
    ).toBeInTheDocument();
  });

  it('says when nothing on the entity can be requested', async () => {
    await renderCard({ listResources: async () => ({ items: [] }) });

    expect(
      await screen.findByText('Nothing on this entity can be requested.'),
    ).toBeInTheDocument();
  });

  it('shows an error answer', async () => {
    await renderCard({
      listResources: async () => {
        throw apiError(500, 'catalog unavailable');
      },
    });

    expect(
      await screen.findByText(
        'Could not load the access to this entity. catalog unavailable',
      ),
    ).toBeInTheDocument();
  });
});

describe('isAccessRequestable', () => {
  it('needs both access annotations', () => {
    expect(isAccessRequestable(entity)).toBe(true);
    expect(
      isAccessRequestable({
        ...entity,
        metadata: { name: 'x', annotations: {} },
      }),
    ).toBe(false);
  });
});
