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

/** Whether the process may sign people in without any secret: development, or explicitly allowed. */
export function isDemoSignInAllowed(
  allowInProduction: boolean | undefined,
): boolean {
  return process.env.NODE_ENV !== 'production' || allowInProduction === true;
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
      allowedHere: isDemoSignInAllowed(
        config.getOptionalBoolean('dangerouslyAllowInProduction'),
      ),
    };
  },
  async authenticate({ req }, ctx) {
    if (!ctx.allowedHere) {
      throw new NotAllowedError(
        "The demo sign-in provider is refused with NODE_ENV=production unless 'auth.providers.demo.dangerouslyAllowInProduction' is true",
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
