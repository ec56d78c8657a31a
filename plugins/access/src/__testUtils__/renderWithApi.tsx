import { ApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ReactElement } from 'react';
import { AccessApi, accessApiRef } from '../api';
import { CallerProvider } from '../components/shared/CallerContext';
import { rootRouteRef } from '../routes';

/** Renders inside a test app with the AccessApi mocked, the caller loaded and `/access` mounted. */
export async function renderWithApi(
  ui: ReactElement,
  api: AccessApi,
  options: {
    routeEntries?: string[];
    /** More APIs the page may use, e.g. the catalog. */
    apis?: Array<readonly [ApiRef<any>, any]>;
  } = {},
) {
  return renderInTestApp(
    <TestApiProvider apis={[[accessApiRef, api], ...(options.apis ?? [])]}>
      <CallerProvider>{ui}</CallerProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/access': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      routeEntries: options.routeEntries,
    },
  );
}
