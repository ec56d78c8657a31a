import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccessBundle,
  AccessFlow,
  AccessRequest,
} from '@jit-access/plugin-access-common';
import { ProvisionerGateway } from '../provisioning/ProvisionerGateway';
import { ApprovalStore } from '../database/requests/ApprovalStore';
import { AccessStores } from '../database/AccessDatabase';
import { RequestStore } from '../database/requests/RequestStore';
import { AccessEvents } from '../events/AccessEvents';
import { AccessNotifier } from '../notify/AccessNotifier';
import { ChatOutbox } from '../notify/ChatOutbox';
import { RequestSignals } from '../notify/RequestSignals';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { Announcer, Before } from './announcements';
import { Caller } from './caller';
import { FlowLookup } from './flows';
import { RequestReader } from './RequestReader';

export interface RequestServiceOptions {
  stores: AccessStores;
  flows: AccessFlow[];
  bundles: AccessBundle[];
  resources: ResourceCatalog;
  catalog: CatalogService;
  auth: AuthService;
  notifier?: AccessNotifier;
  signals?: RequestSignals;
  /** Chat messages (Slack, Teams), queued in the chat outbox. */
  chat?: ChatOutbox;
  /** For extensions: provisioners that keep an end in the target system move it. */
  gateway?: ProvisionerGateway;
  /** Where commands say that the provisioning engine has work (approval, revocation, extension). */
  events?: AccessEvents;
  now?: () => Date;
}

/** What the request commands work with: the stores, the reader, the flows and the announcer. */
export class RequestContext {
  readonly store: RequestStore;
  readonly approvals: ApprovalStore;
  readonly reader: RequestReader;
  readonly flows: FlowLookup;
  readonly announcer: Announcer;

  constructor(readonly options: RequestServiceOptions) {
    this.store = options.stores.requests;
    this.approvals = options.stores.approvals;
    this.flows = new FlowLookup(options.flows);
    this.reader = new RequestReader(options.stores, this.flows);
    this.announcer = new Announcer({
      store: this.store,
      reader: this.reader,
      flows: this.flows,
      notifier: options.notifier,
      signals: options.signals,
      chat: options.chat,
    });
  }

  now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Tells the provisioning engine that it has work. */
  async workAvailable(): Promise<void> {
    await this.options.events?.emit('workAvailable');
  }

  /** The request after a change (as the caller may read it), announced to whoever needs to hear. */
  async reread(
    caller: Caller,
    id: string,
    before?: Before,
  ): Promise<AccessRequest> {
    const request = await this.reader.get(caller, id);
    await this.announcer.announce(request, before);
    return request;
  }
}
