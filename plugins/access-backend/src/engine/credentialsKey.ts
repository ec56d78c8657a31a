import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CredentialVault } from './CredentialVault';

/** Where the plugin may seal with a random key per process without being told to. */
const EPHEMERAL_KEY_ENVIRONMENTS = ['development', 'test'];

/**
 * The vault for `access.credentials`. Without `encryptionKey` it seals with a random key that
 * lives as long as the process: another instance, or this one after a restart, cannot open what
 * it sealed. That is allowed only with NODE_ENV `development` or `test`, or when
 * `dangerouslyAllowEphemeralKey` is true; anywhere else the plugin refuses to start (on every
 * instance, the engine's or not: the one that serves a reveal needs the key that sealed).
 *
 * @throws InputError whose message starts with `Invalid access configuration:`.
 */
export function credentialVaultFromConfig(
  credentials:
    | { encryptionKey?: string; dangerouslyAllowEphemeralKey?: boolean }
    | undefined,
  logger: LoggerService,
  env: { NODE_ENV?: string } = process.env,
): CredentialVault {
  if (credentials?.encryptionKey) {
    return new CredentialVault(credentials.encryptionKey);
  }
  const nodeEnv = env.NODE_ENV;
  if (
    !credentials?.dangerouslyAllowEphemeralKey &&
    !EPHEMERAL_KEY_ENVIRONMENTS.includes(nodeEnv ?? '')
  ) {
    throw new InputError(
      `Invalid access configuration:\naccess.credentials.encryptionKey: Required when NODE_ENV is ${
        nodeEnv ? `'${nodeEnv}'` : 'not set'
      } (only 'development' and 'test' do without): without it issued credentials are sealed with a random key per process, which no other instance and no restart can open. Set it to a random secret of at least 32 characters (e.g. openssl rand -base64 48), the same on every instance, or set access.credentials.dangerouslyAllowEphemeralKey: true`,
    );
  }
  logger.warn(
    'access.credentials.encryptionKey is not set: issued credentials are sealed with a key that lives as long as this process; no other instance and no restart can show them',
  );
  return new CredentialVault(undefined);
}
