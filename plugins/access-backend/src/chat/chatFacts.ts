import { AccessRequest } from '@jit-access/plugin-access-common';
import { RequestService } from '../requests/RequestService';
import { ResourceCatalog } from '../resources/ResourceCatalog';
import { ChatDirectory } from './chatIdentity';
import { ViewFacts } from './chatViews';

/** Gathers what a chat message shows besides the request: names, titles, the flow. */
export class ChatFacts {
  constructor(
    private readonly deps: {
      directory: ChatDirectory;
      resources: ResourceCatalog;
      requests: RequestService;
      portalBaseUrl: string;
    },
  ) {}

  async of(request: AccessRequest): Promise<ViewFacts> {
    const people = [
      request.requesterRef,
      request.granteeRef,
      ...request.approvals.map(a => a.approverRef),
    ];
    const [names, resources] = await Promise.all([
      this.deps.directory.names(people),
      this.deps.resources
        .getByRefs(request.items.map(i => i.resourceRef))
        .catch(() => new Map()),
    ]);
    let flow;
    try {
      flow = this.deps.requests.flowOf(request);
    } catch {
      // A flow removed from the config: the message shows its id.
      flow = undefined;
    }
    return {
      names,
      titles: new Map(
        [...resources.values()].map(r => [r.ref, r.title ?? r.ref]),
      ),
      flow,
      portalBaseUrl: this.deps.portalBaseUrl,
    };
  }
}
