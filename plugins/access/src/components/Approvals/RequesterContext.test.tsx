import { Entity } from '@backstage/catalog-model';
import { GranteeHistory } from '@jit-access/plugin-access-common';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import {
  CATALOG_ENTITIES,
  catalogPresentationApis,
} from '../../__testUtils__/catalogPresentation';
import {
  aRequest,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderPendingApprovalCard } from '../../__testUtils__/renderPendingApprovalCard';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { RequestPage } from '../Requests/RequestPage';
import { teamsOf } from './RequesterContext';

/** The demo catalog, with Dana in the payments team and Sam in data. */
const ENTITIES: Entity[] = [
  ...CATALOG_ENTITIES.map(entity =>
    entity.metadata.name === 'dana' && entity.kind === 'User'
      ? {
          ...entity,
          relations: [
            { type: 'memberOf', targetRef: 'group:default/payments' },
          ],
        }
      : entity,
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'sam', namespace: 'default' },
    spec: { profile: { displayName: 'Sam Analyst' }, memberOf: ['data'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'data', namespace: 'default', title: 'Data team' },
    spec: { type: 'team', children: [] },
  },
];

const HISTORY: GranteeHistory = {
  windowDays: 90,
  items: [
    {
      resourceRef: 'resource:default/payments-db',
      permission: 'read',
      grantedInWindow: 2,
      lastDecision: {
        decision: 'reject',
        approverRef: 'user:default/lee',
        decidedAt: '2025-03-01T10:05:00Z',
      },
      pendingRequests: 1,
      active: { expiresAt: '2025-03-02T14:00:00Z' },
    },
  ],
};

const pending = (overrides = {}) =>
  aRequest({
    status: 'pending_approval',
    approvals: [],
    granteeHistory: HISTORY,
    ...overrides,
  });

function renderCard(request = pending()) {
  return renderPendingApprovalCard(request, ENTITIES);
}

describe('RequesterContext', () => {
  it('tells the approver on the card the team of the requester and the history, by name', async () => {
    await renderCard();

    const context = screen.getByRole('region', {
      name: 'Requester and history',
    });
    const team = await within(context).findByRole('link', {
      name: 'Payments team',
    });
    expect(team).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(team.closest('p')).toHaveTextContent(
      "Requester's team: Payments team",
    );

    expect(
      await within(context).findByRole('link', {
        name: 'Payments PostgreSQL database',
      }),
    ).toBeInTheDocument();
    expect(context).toHaveTextContent('Payments PostgreSQL database (read)');
    expect(context).toHaveTextContent('Granted 2 times in the last 90 days');
    await within(context).findByRole('link', { name: 'Lee Lead' });
    expect(context).toHaveTextContent(
      /Last decision: rejected by Lee Lead on \S/,
    );
    expect(context).toHaveTextContent('One other request waiting for approval');
    expect(context).toHaveTextContent(/Has this access now, until \S/);
    expect(context).not.toHaveTextContent(/\b(user|group|resource):default\//);
    // The grantee is the requester, named with the request: not again here.
    expect(context).toHaveTextContent('History with the same access');
    expect(context).not.toHaveTextContent('Dana Developer');
  });

  it('says plainly when there is no history, and names the grantee asked for', async () => {
    await renderCard(
      pending({
        granteeRef: 'user:default/sam',
        granteeHistory: {
          windowDays: 90,
          items: [
            {
              resourceRef: 'resource:default/payments-db',
              permission: 'read',
              grantedInWindow: 0,
              pendingRequests: 0,
            },
          ],
        },
      }),
    );

    const context = screen.getByRole('region', {
      name: 'Requester and history',
    });
    expect(
      await within(context).findByRole('link', { name: 'Sam Analyst' }),
    ).toBeInTheDocument();
    expect(context).toHaveTextContent(
      'History of Sam Analyst with the same access',
    );
    expect(context).toHaveTextContent('Not granted in the last 90 days');
    expect(context).toHaveTextContent('No earlier decision');
    expect(context).not.toHaveTextContent(/waiting for approval/);
    expect(context).not.toHaveTextContent(/Has this access now/);
  });

  it('counts one grant in the singular', async () => {
    await renderCard(
      pending({
        granteeHistory: {
          windowDays: 90,
          items: [{ ...HISTORY.items[0], grantedInWindow: 1 }],
        },
      }),
    );
    expect(
      screen.getByRole('region', { name: 'Requester and history' }),
    ).toHaveTextContent('Granted once in the last 90 days');
  });

  it('shows the same context on the request page to an approver, not to the grantee', async () => {
    const page = (me: string) =>
      renderWithApi(
        <Routes>
          <Route path="/access/requests/:id" element={<RequestPage />} />
        </Routes>,
        mockAccessApi({
          getCaller: async () => ({
            userEntityRef: me,
            ownershipEntityRefs: [me],
            isAdmin: false,
          }),
          getRequest: async () => details(pending(), []),
        }),
        {
          routeEntries: ['/access/requests/req-1'],
          apis: catalogPresentationApis(ENTITIES),
        },
      );

    const view = await page('user:default/lee');
    const context = await screen.findByRole('region', {
      name: 'Requester and history',
    });
    expect(
      await within(context).findByRole('link', { name: 'Payments team' }),
    ).toBeInTheDocument();
    expect(context).toHaveTextContent('Granted 2 times in the last 90 days');
    expect(context).toHaveTextContent(/rejected by Lee Lead/);
    view.unmount();

    await page('user:default/dana');
    await screen.findByRole('table', { name: 'Resources and permissions' });
    expect(
      screen.queryByRole('region', { name: 'Requester and history' }),
    ).not.toBeInTheDocument();
  });

  it('reads a team from the relations, else from spec.memberOf', () => {
    expect(teamsOf(ENTITIES.find(e => e.metadata.name === 'dana'))).toEqual([
      'group:default/payments',
    ]);
    expect(teamsOf(ENTITIES.find(e => e.metadata.name === 'sam'))).toEqual([
      'group:default/data',
    ]);
    expect(teamsOf(undefined)).toEqual([]);
  });
});
