import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';
import {
  DEMO_NODE_ENVS,
  demoAuthenticator,
  DemoSignInResult,
  describeNodeEnv,
  isDemoSignInAllowed,
} from './authenticator';

/**
 * Signs in as the catalog User of the chosen name, with that user's group memberships as
 * ownership claims (the catalog's standard sign-in). There is no password: that is the point,
 * and why the provider must never run where real people sign in.
 */
export const signInAsCatalogUser: SignInResolver<DemoSignInResult> = async (
  { result },
  ctx,
) =>
  ctx.signInWithCatalogUser({
    entityRef: { kind: 'user', namespace: result.namespace, name: result.name },
  });

/**
 * Development-only auth provider `demo`: `GET /api/auth/demo/refresh?user=<name>` returns a
 * Backstage token for that catalog User. Off unless `auth.providers.demo` is configured; refuses
 * to start unless NODE_ENV is `development` or `test`, or `dangerouslyAllowOutsideDevelopment` is
 * true.
 */
export const authModuleDemoProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const providerConfig = config.getOptionalConfig('auth.providers.demo');
        if (!providerConfig) {
          logger.info(
            'Demo sign-in is off: auth.providers.demo is not configured',
          );
          return;
        }
        if (!isDemoSignInAllowed(providerConfig)) {
          throw new Error(
            `Refusing to start the demo sign-in provider with ${describeNodeEnv()} (it runs by itself only with NODE_ENV ${DEMO_NODE_ENVS.join(
              ' or ',
            )}): anyone could sign in as anyone. Remove auth.providers.demo, or set auth.providers.demo.dangerouslyAllowOutsideDevelopment: true if this is really a throw-away demo`,
          );
        }
        if (providerConfig.has('dangerouslyAllowInProduction')) {
          logger.warn(
            'auth.providers.demo.dangerouslyAllowInProduction is deprecated: rename it to dangerouslyAllowOutsideDevelopment',
          );
        }
        logger.warn(
          'Demo sign-in is on: anyone who reaches this backend can sign in as any catalog user',
        );
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: demoAuthenticator,
            profileTransform: async (result, ctx) => {
              // Show the catalog's display name and email where the user has them.
              const { entity } = await ctx.findCatalogUser({
                entityRef: {
                  kind: 'user',
                  namespace: result.namespace,
                  name: result.name,
                },
              });
              const profile = (entity.spec?.profile ?? {}) as {
                displayName?: string;
                email?: string;
                picture?: string;
              };
              return {
                profile: {
                  displayName: profile.displayName ?? result.name,
                  email: profile.email,
                  picture: profile.picture,
                },
              };
            },
            signInResolver: signInAsCatalogUser,
          }),
        });
      },
    });
  },
});
