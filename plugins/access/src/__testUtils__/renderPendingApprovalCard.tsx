import { Entity } from '@backstage/catalog-model';
import { AccessRequest } from '@jit-access/plugin-access-common';
import { PendingApprovalCard } from '../components/Approvals/PendingApprovalCard';
import { catalogPresentationApis } from './catalogPresentation';
import { mockAccessApi } from './mockAccessApi';
import { renderWithApi } from './renderWithApi';

/** The inbox card of `request` as Lee sees it, with the catalog presenting `entities`. */
export function renderPendingApprovalCard(
  request: AccessRequest,
  entities?: Entity[],
) {
  return renderWithApi(
    <PendingApprovalCard
      request={request}
      me="user:default/lee"
      selected={false}
      onSelect={() => {}}
      onDecide={() => {}}
    />,
    mockAccessApi(),
    { apis: catalogPresentationApis(entities) },
  );
}
