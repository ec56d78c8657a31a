/**
 * Reads `access.chat.teams`. No section: the module stays off. A section missing one of the
 * three required keys, or with a bad value, stops the backend with every problem and its path,
 * e.g. `access.chat.teams.clientSecret: Required`.
 */
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

export const TEAMS_CONFIG_PATH = 'access.chat.teams';

/** Microsoft Entra ID's public cloud, as the SDK defaults it. */
export const DEFAULT_AUTHORITY_ENDPOINT = 'https://login.microsoftonline.com';

/** The Bot Connector service of Teams' public cloud, where proactive messages start. */
export const DEFAULT_TEAMS_SERVICE_URL =
  'https://smba.trafficmanager.net/teams/';

/** The validated Teams configuration. */
export interface TeamsChatConfig {
  /** The bot's Microsoft Entra app (client) id; the audience of the tokens it accepts. */
  clientId: string;
  /** A client secret of that app registration, for the bot's own token. */
  clientSecret: string;
  /** The tenant the bot is registered in and whose users it serves. */
  tenantId: string;
  /** The Microsoft Entra authority, without a trailing slash. */
  authorityEndpoint: string;
  /** Token issuers accepted on incoming activities; absent: the SDK's defaults. */
  issuers?: string[];
  /** Where new one-to-one conversations are created. */
  serviceUrl: string;
}

const required = z
  .string({
    required_error: 'Required',
    invalid_type_error: 'Expected a string',
  })
  .refine(value => value.trim() !== '', 'Must not be empty');

const httpsUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Invalid URL '${value}'`,
    });
    return;
  }
  if (url.protocol !== 'https:') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `Must be an https URL (tokens and secrets travel to it), not '${value}'`,
    });
  }
});

const teamsSchema = z
  .object({
    clientId: required,
    clientSecret: required,
    tenantId: required,
    authorityEndpoint: httpsUrl.optional(),
    issuers: z
      .array(required)
      .nonempty('Must name at least one issuer')
      .optional(),
    serviceUrl: httpsUrl.optional(),
  })
  .strict();

/**
 * The Teams configuration, or undefined when `access.chat.teams` is absent.
 *
 * @throws InputError listing every problem with its path.
 */
export function readTeamsChatConfig(
  config: Config,
): TeamsChatConfig | undefined {
  const raw = config.getOptional(TEAMS_CONFIG_PATH);
  if (raw === undefined) {
    return undefined;
  }
  const result = teamsSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.flatMap(issue =>
      issue.code === z.ZodIssueCode.unrecognized_keys
        ? issue.keys.map(key => `${TEAMS_CONFIG_PATH}.${key}: Unknown field`)
        : [
            `${[TEAMS_CONFIG_PATH, ...issue.path]
              .map(String)
              .join('.')
              .replace(/\.(\d+)(?=\.|$)/g, '[$1]')}: ${issue.message}`,
          ],
    );
    throw new InputError(
      ['Invalid Microsoft Teams configuration:', ...lines].join('\n'),
    );
  }
  const teams = result.data;
  return {
    clientId: teams.clientId.trim(),
    clientSecret: teams.clientSecret,
    tenantId: teams.tenantId.trim(),
    authorityEndpoint: (
      teams.authorityEndpoint ?? DEFAULT_AUTHORITY_ENDPOINT
    ).replace(/\/+$/, ''),
    ...(teams.issuers && { issuers: [...teams.issuers] }),
    serviceUrl: teams.serviceUrl ?? DEFAULT_TEAMS_SERVICE_URL,
  };
}
