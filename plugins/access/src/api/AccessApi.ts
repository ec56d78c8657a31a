import { createApiRef } from '@backstage/core-plugin-api';
import {
  CallerIdentity,
  HealthResponse,
} from '@jit-access/plugin-access-common';

/** The frontend's view of the access backend's HTTP API (`/api/access`). */
export interface AccessApi {
  getHealth(): Promise<HealthResponse>;
  getCaller(): Promise<CallerIdentity>;
}

export const accessApiRef = createApiRef<AccessApi>({
  id: 'plugin.access.service',
});
