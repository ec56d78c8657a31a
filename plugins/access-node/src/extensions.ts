import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AccessProvisioner } from './provisioner';

/** Lets backend modules add provisioners to the access plugin. */
export interface AccessProvisionersExtensionPoint {
  addProvisioner(...provisioners: AccessProvisioner[]): void;
}

export const accessProvisionersExtensionPoint =
  createExtensionPoint<AccessProvisionersExtensionPoint>({
    id: 'access.provisioners',
  });
