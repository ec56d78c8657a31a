export interface Config {
  access?: {
    chat?: {
      /**
       * Slack: approvers decide in Slack, requesters hear back there. Without `botToken` and
       * `signingSecret` the module stays off; with only one of them the backend refuses to start.
       */
      slack?: {
        /**
         * The app's bot token (`xoxb-...`), from OAuth & Permissions.
         * @visibility secret
         */
        botToken?: string;
        /**
         * The app's signing secret, from Basic Information: interactions are accepted only
         * with Slack's signature made with it.
         * @visibility secret
         */
        signingSecret?: string;
        /** Slack's Web API (default `https://slack.com/api/`); proxies and tests point it elsewhere. */
        apiUrl?: string;
      };
    };
  };
}
