import { entityPresentationApiRef } from '@backstage/plugin-catalog-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FulfilmentTask } from '@jit-access/plugin-access-common';
import { Route, Routes } from 'react-router-dom';
import { catalogPresentationApis } from '../../__testUtils__/catalogPresentation';
import {
  aRequest,
  apiError,
  details,
  mockAccessApi,
} from '../../__testUtils__/mockAccessApi';
import { renderPendingApprovalCard } from '../../__testUtils__/renderPendingApprovalCard';
import { renderWithApi } from '../../__testUtils__/renderWithApi';
import { DecidedApprovals } from '../Approvals/DecidedApprovals';
import { FulfilmentTasks } from '../Approvals/FulfilmentTasks';
import { PendingApprovals } from '../Approvals/PendingApprovals';
import { CurrentAccessCard } from '../MyAccess/CurrentAccessCard';
import { ByBundle } from '../NewRequest/ByBundle';
import { DetailsStep } from '../NewRequest/DetailsStep';
import { EMPTY_SELECTION } from '../NewRequest/selection';
import { RequestPage } from '../Requests/RequestPage';
import { RequestsTable } from '../Requests/RequestsTable';
import { useEntityTitles } from './useEntityTitles';

// Material UI dialogs are slow to render when the machine is busy.
jest.setTimeout(20_000);

const DB = 'Payments PostgreSQL database (read)';
const HEADING = `Dana Developer: ${DB}`;

/** Lists the names that `useEntityTitles` answers for `refs`. */
function Names(props: { refs: string[] }) {
  const name = useEntityTitles(props.refs);
  return (
    <ul>
      {props.refs.map(ref => (
        <li key={ref}>{name(ref)}</li>
      ))}
    </ul>
  );
}

function names() {
  return screen.getAllByRole('listitem').map(li => li.textContent);
}

describe('useEntityTitles', () => {
  it('answers the snapshot at once, then the title the catalog resolves', async () => {
    let resolve: (title: string) => void = () => {};
    const promise = new Promise<string>(r => {
      resolve = r;
    });
    const presentationApi = {
      forEntity: (entityRef: string) => {
        const snapshot = { entityRef, primaryTitle: 'dana' };
        return {
          snapshot,
          promise: promise.then(primaryTitle => ({
            ...snapshot,
            primaryTitle,
          })),
        };
      },
    };
    await renderWithApi(
      <Names refs={['user:default/dana']} />,
      mockAccessApi(),
      {
        apis: [[entityPresentationApiRef, presentationApi]],
      },
    );

    expect(names()).toEqual(['dana']);
    resolve('Dana Developer');
    expect(await screen.findByText('Dana Developer')).toBeInTheDocument();
  });

  it('names users by display name and groups and resources by title', async () => {
    await renderWithApi(
      <Names
        refs={[
          'user:default/dana',
          'group:default/payments',
          'resource:default/payments-db',
          'resource:default/unknown',
        ]}
      />,
      mockAccessApi(),
      { apis: catalogPresentationApis() },
    );

    await waitFor(() =>
      expect(names()).toEqual([
        'Dana Developer',
        'Payments team',
        'Payments PostgreSQL database',
        // Not in the catalog: the presentation's own name for it.
        'unknown',
      ]),
    );
  });

  it('keeps the snapshot when the presentation fails', async () => {
    const presentationApi = {
      forEntity: (entityRef: string) => ({
        snapshot: { entityRef, primaryTitle: 'dana' },
        promise: Promise.reject(new Error('catalog down')),
      }),
    };
    await renderWithApi(
      <Names refs={['user:default/dana']} />,
      mockAccessApi(),
      {
        apis: [[entityPresentationApiRef, presentationApi]],
      },
    );

    await new Promise(r => setTimeout(r, 10));
    expect(names()).toEqual(['dana']);
  });

  it('falls back to the short name without a presentation API', async () => {
    await renderWithApi(
      <Names refs={['user:default/dana', 'group:default/payments']} />,
      mockAccessApi(),
    );

    expect(names()).toEqual(['dana', 'group:payments']);
  });
});

describe('names in headings and accessible names', () => {
  it('names the pending approval card, its controls, the note and the items', async () => {
    const request = aRequest({
      status: 'pending_approval',
      approvals: [],
      channel: 'action',
      requesterRef: 'user:default/lee',
    });
    await renderPendingApprovalCard(request);

    const card = await screen.findByRole('article', { name: HEADING });
    expect(
      within(card).getByRole('heading', { level: 3, name: HEADING }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('checkbox', { name: `Select ${HEADING}` }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: `Approve ${HEADING}` }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('button', { name: `Reject ${HEADING}` }),
    ).toBeInTheDocument();
    expect(within(card).getByRole('note')).toHaveTextContent(
      'An AI assistant asked for this on behalf of Lee Lead',
    );
    expect(
      within(card).getByRole('table', {
        name: 'Resources requested for Dana Developer',
      }),
    ).toBeInTheDocument();
  });

  it('names the grantee in the decision dialog, the notice and a failed bulk approval', async () => {
    const request = aRequest({ status: 'pending_approval', approvals: [] });
    const other = aRequest({
      id: 'req-2',
      status: 'pending_approval',
      approvals: [],
      granteeRef: 'user:default/lee',
    });
    const api = mockAccessApi({
      getInbox: async () => ({ items: [request, other] }),
      approveRequest: async id => {
        if (id === 'req-2') throw apiError(409, 'Already decided');
        return { ...request, status: 'active' };
      },
    });
    await renderWithApi(<PendingApprovals />, api, {
      apis: catalogPresentationApis(),
    });

    const card = await screen.findByRole('article', { name: HEADING });
    await userEvent.click(
      within(card).getByRole('button', { name: `Approve ${HEADING}` }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Approve access for Dana Developer?',
    });
    expect(dialog).toHaveTextContent(DB);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(
      await screen.findByText('Approved the request of Dana Developer.'),
    ).toBeInTheDocument();

    await userEvent.click(
      await screen.findByRole('checkbox', { name: `Select Lee Lead: ${DB}` }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve selected (1)' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Approve all',
      }),
    );
    expect(
      await screen.findByText(/^Lee Lead \(req-2\): /),
    ).toBeInTheDocument();
  });

  it('names the resource and the grantee of a fulfilment task and its dialog', async () => {
    const task: FulfilmentTask = {
      id: 'task-1',
      grantId: 'grant-1',
      requestId: 'req-1',
      action: 'grant',
      provisionerId: 'manual',
      resourceRef: 'resource:default/demo-sandbox',
      permission: 'edit',
      granteeRef: 'user:default/dana',
      instructions: 'Add the user to the sandbox editors',
      state: 'open',
      createdAt: '2025-03-01T10:00:00Z',
    };
    await renderWithApi(
      <FulfilmentTasks />,
      mockAccessApi({ listTasks: async () => ({ items: [task] }) }),
      { apis: catalogPresentationApis() },
    );

    const markDone = await screen.findByRole('button', {
      name: 'Mark done: grant edit on Demo sandbox for Dana Developer',
    });
    await userEvent.click(markDone);
    expect(
      await screen.findByText(
        'Confirm that you granted edit on Demo sandbox for Dana Developer.',
      ),
    ).toBeInTheDocument();
  });

  it('names who decided and what under Decided', async () => {
    const decided = aRequest({
      approvals: [
        {
          stage: 0,
          approverRef: 'user:default/riley',
          decision: 'reject',
          decidedAt: '2025-03-01T10:00:00Z',
        },
      ],
      status: 'rejected',
    });
    await renderWithApi(
      <DecidedApprovals />,
      mockAccessApi({ getInbox: async () => ({ items: [decided] }) }),
      { apis: catalogPresentationApis() },
    );

    expect(
      await screen.findByText('Rejected by Riley Security'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: DB })).toHaveAttribute(
      'href',
      '/access/requests/req-1',
    );
  });

  it('names the current access card, its buttons and the access details', async () => {
    await renderWithApi(
      <CurrentAccessCard
        request={aRequest()}
        viewer={{ userEntityRef: 'user:default/dana', isAdmin: false }}
        onChanged={() => {}}
      />,
      mockAccessApi(),
      { apis: catalogPresentationApis() },
    );

    const card = await screen.findByRole('article', { name: DB });
    expect(
      within(card).getByRole('heading', { level: 3, name: DB }),
    ).toBeInTheDocument();
    expect(
      within(card).getByRole('link', { name: `Details of ${DB}` }),
    ).toHaveAttribute('href', '/access/requests/req-1');
    await userEvent.click(
      within(card).getByRole('button', { name: `Access details for ${DB}` }),
    );
    expect(
      await screen.findByRole('dialog', { name: `Access details: ${DB}` }),
    ).toBeInTheDocument();
  });

  it('names the resources of a bundle', async () => {
    const bundle = {
      id: 'oncall',
      title: 'On-call kit',
      items: [
        { resourceRef: 'resource:default/payments-db', permission: 'read' },
      ],
    };
    await renderWithApi(
      <ByBundle selection={EMPTY_SELECTION} onChange={() => {}} />,
      mockAccessApi({ listBundles: async () => ({ items: [bundle] }) }),
      { apis: catalogPresentationApis() },
    );

    const card = await screen.findByRole('article', { name: 'On-call kit' });
    await userEvent.click(
      within(card).getByRole('button', { name: 'Choose resources' }),
    );
    expect(
      await within(card).findByRole('checkbox', { name: DB }),
    ).toBeInTheDocument();
  });

  it('names the items no flow covers', async () => {
    const item = {
      resourceRef: 'resource:default/payments-db',
      permission: 'read',
    };
    await renderWithApi(
      <DetailsStep
        selection={{ items: [item] }}
        onBack={() => {}}
        onRemoveItems={() => {}}
        onSubmitted={() => {}}
      />,
      mockAccessApi({
        matchFlows: async () => ({
          flows: [],
          uncovered: [{ ...item, reason: 'no flow lets you request it' }],
        }),
      }),
      { apis: catalogPresentationApis() },
    );

    expect(
      await screen.findByText(`${DB}: no flow lets you request it`),
    ).toBeInTheDocument();
  });

  it('names the resources of a request in a list of requests', async () => {
    await renderWithApi(
      <RequestsTable
        requests={[aRequest()]}
        caption="My requests"
        onSelect={() => {}}
      />,
      mockAccessApi(),
      { apis: catalogPresentationApis() },
    );
    expect(
      await screen.findByRole('row', {
        name: rowName => rowName.startsWith(`Open request ${DB}`),
      }),
    ).toBeInTheDocument();
  });

  it('names the resources in the heading of a request page', async () => {
    await renderWithApi(
      <Routes>
        <Route path="/access/requests/:id" element={<RequestPage />} />
      </Routes>,
      mockAccessApi({ getRequest: async () => details(aRequest()) }),
      {
        routeEntries: ['/access/requests/req-1'],
        apis: catalogPresentationApis(),
      },
    );

    expect(
      await screen.findByRole('heading', { level: 2, name: DB }),
    ).toBeInTheDocument();
  });
});
