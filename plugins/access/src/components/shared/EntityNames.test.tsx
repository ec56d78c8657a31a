import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { catalogPresentationApis } from '../../__testUtils__/catalogPresentation';
import {
  aRequest,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderPendingApprovalCard } from '../../__testUtils__/renderPendingApprovalCard';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { FulfilmentTasks } from '../Approvals/FulfilmentTasks';
import { RequestPage } from '../Requests/RequestPage';
import { splitEntityRefs } from './EntityNames';

const WHY =
  'member of group:default/payments, owner of resource:default/payments-db';

/** The link to an entity's catalog page, found by the name it shows. */
async function entityLink(name: string, scope = screen as any) {
  return scope.findByRole('link', { name });
}

describe('entities by their names', () => {
  it('splits the entity refs out of a sentence the backend wrote', () => {
    expect(splitEntityRefs(WHY)).toEqual([
      { text: 'member of ' },
      { entityRef: 'group:default/payments' },
      { text: ', owner of ' },
      { entityRef: 'resource:default/payments-db' },
    ]);
    expect(splitEntityRefs('You are an approver')).toEqual([
      { text: 'You are an approver' },
    ]);
  });

  it('names the requester, grantee and why-you of a pending approval card', async () => {
    const request = aRequest({
      approvers: [{ stage: 0, entityRef: 'user:default/lee', why: WHY }],
      status: 'pending_approval',
      approvals: [],
    });
    await renderPendingApprovalCard(request);

    const group = await entityLink('Payments team');
    expect(group).toHaveAttribute('href', '/catalog/default/group/payments');
    const why = group.closest('tr')!;
    expect(why).toHaveTextContent(
      'member of Payments team, owner of Payments PostgreSQL database',
    );
    expect(why).not.toHaveTextContent('group:default/payments');
    expect((await screen.findAllByText('Dana Developer')).length).toBe(2);
    expect(
      screen.getAllByRole('link', { name: 'Payments PostgreSQL database' })[0],
    ).toHaveAttribute('href', '/catalog/default/resource/payments-db');
  });

  it('names the resource, grantee and completer of fulfilment tasks', async () => {
    const task = {
      id: 'task-1',
      grantId: 'grant-1',
      requestId: 'req-1',
      action: 'grant' as const,
      provisionerId: 'manual',
      resourceRef: 'resource:default/demo-sandbox',
      permission: 'edit',
      granteeRef: 'user:default/dana',
      instructions: 'Add the user to the sandbox editors',
      state: 'open' as const,
      createdAt: '2025-03-01T10:00:00Z',
    };
    await renderWithApi(
      <FulfilmentTasks />,
      mockAccessApi({ listTasks: async () => ({ items: [task] }) }),
      { apis: catalogPresentationApis() },
    );

    const table = await screen.findByRole('table', { name: 'Tasks to do' });
    expect(await entityLink('Demo sandbox', within(table))).toBeInTheDocument();
    expect(await entityLink('Dana Developer', within(table))).toHaveAttribute(
      'href',
      '/catalog/default/user/dana',
    );
    expect(table).not.toHaveTextContent('user:default/dana');
    expect(table).not.toHaveTextContent('resource:default/demo-sandbox');
  });

  it('names the people and the flow of a request page', async () => {
    const request = aRequest({
      flowId: 'database-owner-approval',
      flowTitle: 'Database access, approved by the owners',
    });
    const api = mockAccessApi({ getRequest: async () => details(request, []) });
    await renderWithApi(
      <Routes>
        <Route path="/access/requests/:id" element={<RequestPage />} />
      </Routes>,
      api,
      {
        routeEntries: ['/access/requests/req-1'],
        apis: catalogPresentationApis(),
      },
    );

    expect(
      await screen.findByText('Database access, approved by the owners'),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByRole('link', { name: 'Dana Developer' })).length,
    ).toBeGreaterThanOrEqual(2);
    const stages = screen.getByRole('list', { name: 'Approval stages' });
    expect(await entityLink('Lee Lead', within(stages))).toBeInTheDocument();
    expect(stages).toHaveTextContent(/Approved by Lee Lead on/);
    expect(document.body).not.toHaveTextContent('database-owner-approval');
    // The id stays at hand in the title's tooltip; the title comes with the request itself.
    expect(
      screen.getByText('Database access, approved by the owners'),
    ).toHaveAttribute('title', 'database-owner-approval');
    expect(api.matchFlows).not.toHaveBeenCalled();
    expect(document.body).not.toHaveTextContent(/\buser:default\//);
  });
});
