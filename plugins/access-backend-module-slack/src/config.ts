import { Config } from '@backstage/config';

/** The Slack module's settings, `access.chat.slack`. */
export interface SlackChatConfig {
  /** The bot token (`xoxb-...`) the app posts with. */
  botToken: string;
  /** The app's signing secret, to verify that interactions come from Slack. */
  signingSecret: string;
  /** Slack's Web API, `https://slack.com/api/` unless a proxy or a test says otherwise. */
  apiUrl: string;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const PATH = 'access.chat.slack';

/**
 * `access.chat.slack`, or undefined when there is none (no token and no signing secret: the
 * module stays off). Half a config (one of the two, or a bad `apiUrl`) throws, naming the path.
 */
export function readSlackChatConfig(
  config: Config,
): SlackChatConfig | undefined {
  const section = config.getOptionalConfig(PATH);
  const botToken = section?.getOptionalString('botToken')?.trim();
  const signingSecret = section?.getOptionalString('signingSecret')?.trim();
  if (!botToken && !signingSecret) {
    return undefined;
  }
  if (!botToken) {
    throw new Error(
      `Invalid access configuration:\n${PATH}.botToken: Required when ${PATH}.signingSecret is set`,
    );
  }
  if (!signingSecret) {
    throw new Error(
      `Invalid access configuration:\n${PATH}.signingSecret: Required when ${PATH}.botToken is set`,
    );
  }
  const apiUrl = section?.getOptionalString('apiUrl') ?? DEFAULT_SLACK_API_URL;
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new Error(
      `Invalid access configuration:\n${PATH}.apiUrl: '${apiUrl}' is not a URL`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `Invalid access configuration:\n${PATH}.apiUrl: must be an http(s) URL`,
    );
  }
  return {
    botToken,
    signingSecret,
    // The SDK appends the method name: the URL must end with a slash.
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
  };
}
