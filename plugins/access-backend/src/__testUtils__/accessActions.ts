import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { startAccessBackend } from './accessBackend';

/**
 * The access backend with an actions registry the test can call, as a user (`dana`) or as a
 * service (`'service'`). The test registry names actions `test:<name>`.
 */
export async function startAccessBackendWithActions(
  options: Parameters<typeof startAccessBackend>[0] = {},
) {
  const registry = actionsRegistryServiceMock();
  const backend = await startAccessBackend({
    ...options,
    features: [
      ...(options.features ?? []),
      createServiceFactory({
        service: actionsRegistryServiceRef,
        deps: {},
        factory: () => registry,
      }),
    ],
  });
  const invoke = async (
    caller: string,
    name: string,
    input: object = {},
  ): Promise<any> =>
    (
      await registry.invoke({
        id: `test:${name}`,
        input: input as any,
        credentials:
          caller === 'service'
            ? mockCredentials.service()
            : mockCredentials.user(`user:default/${caller}`),
      })
    ).output;
  return { ...backend, registry, invoke };
}
