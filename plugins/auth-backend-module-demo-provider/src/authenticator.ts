import { InputError, NotAllowedError } from '@backstage/errors';
import {
  createProxyAuthenticator,
  ProfileInfo,
} from '@backstage/plugin-auth-node';
import { z } from 'zod';

/** The header a sign-in page sends with the chosen user; scripts may use `?user=` instead. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** Who is signing in: a catalog User entity, by namespace and name. */
export interface DemoSignInResult {
  namespace: string;
  name: string;
}

interface DemoAuthenticatorContext {
  namespace: string;
  allowedHere: boolean;
}

// The entity name rules of the catalog: letters, digits and [-_.], at most 63 characters.
const userNameSchema = z
  .string({
    required_error: `Say which demo user to sign in as, with ?user=<name> or the ${DEMO_USER_HEADER} header`,
  })
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/,
    'The user must be the name of a User entity in the catalog, e.g. ?user=dana',
  );

/** The NODE_ENV values in which the demo provider runs without being told to. */
export const DEMO_NODE_ENVS = ['development', 'test'];

/**
 * Whether the process may sign people in without any secret: an allow-list, as Backstage's guest
 * provider does. With NODE_ENV `development` or `test` (`backstage-cli package start` and Jest
 * set these); anywhere else (unset, `staging`, `production`, ...) only when
 * `dangerouslyAllowOutsideDevelopment` is true, or its deprecated name
 * `dangerouslyAllowInProduction`. Throws when both names are set.
 */
export function isDemoSignInAllowed(
  providerConfig: { getOptionalBoolean(key: string): boolean | undefined },
  nodeEnv: string | undefined = process.env.NODE_ENV,
): boolean {
  const allowed = providerConfig.getOptionalBoolean(
    'dangerouslyAllowOutsideDevelopment',
  );
  const deprecated = providerConfig.getOptionalBoolean(
    'dangerouslyAllowInProduction',
  );
  if (allowed !== undefined && deprecated !== undefined) {
    throw new InputError(
      'auth.providers.demo.dangerouslyAllowInProduction is the old name of dangerouslyAllowOutsideDevelopment: set only dangerouslyAllowOutsideDevelopment',
    );
  }
  return (
    DEMO_NODE_ENVS.includes(nodeEnv ?? '') || (allowed ?? deprecated) === true
  );
}

/** How NODE_ENV reads in messages: its value, or that it is unset. */
export function describeNodeEnv(
  nodeEnv: string | undefined = process.env.NODE_ENV,
): string {
  return nodeEnv === undefined ? 'NODE_ENV unset' : `NODE_ENV=${nodeEnv}`;
}

export const demoAuthenticator = createProxyAuthenticator<
  DemoAuthenticatorContext,
  DemoSignInResult,
  undefined
>({
  defaultProfileTransform: async (
    result,
  ): Promise<{ profile: ProfileInfo }> => ({
    profile: { displayName: result.name },
  }),
  initialize({ config }) {
    return {
      namespace: config.getOptionalString('namespace') ?? 'default',
      allowedHere: isDemoSignInAllowed(config),
    };
  },
  async authenticate({ req }, ctx) {
    if (!ctx.allowedHere) {
      throw new NotAllowedError(
        `The demo sign-in provider is refused with ${describeNodeEnv()} unless 'auth.providers.demo.dangerouslyAllowOutsideDevelopment' is true`,
      );
    }
    const header = req.get(DEMO_USER_HEADER);
    const query =
      typeof req.query.user === 'string' ? req.query.user : undefined;
    const parsed = userNameSchema.safeParse(query ?? header);
    if (!parsed.success) {
      throw new InputError(parsed.error.issues[0].message);
    }
    return { result: { namespace: ctx.namespace, name: parsed.data } };
  },
});
