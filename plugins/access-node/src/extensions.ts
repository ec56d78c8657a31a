import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { AccessChatChannel } from './chat';
import { AccessProvisioner } from './provisioner';

/** Lets backend modules add provisioners to the access plugin. */
export interface AccessProvisionersExtensionPoint {
  addProvisioner(...provisioners: AccessProvisioner[]): void;
}

export const accessProvisionersExtensionPoint =
  createExtensionPoint<AccessProvisionersExtensionPoint>({
    id: 'access.provisioners',
  });

/** Lets backend modules add chat channels (Slack, Microsoft Teams) to the access plugin. */
export interface AccessChatChannelsExtensionPoint {
  /** One channel per id: a second channel with the same id is refused at startup. */
  addChatChannel(...channels: AccessChatChannel[]): void;
}

export const accessChatChannelsExtensionPoint =
  createExtensionPoint<AccessChatChannelsExtensionPoint>({
    id: 'access.chat-channels',
  });
