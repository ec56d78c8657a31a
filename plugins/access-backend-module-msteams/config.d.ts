export interface Config {
  access?: {
    chat?: {
      /**
       * Microsoft Teams: approvers decide on an Adaptive Card, requesters hear back there. Absent:
       * the module stays off. `clientId`, `clientSecret` and `tenantId` are required together.
       */
      teams?: {
        /** The Azure Bot's Microsoft Entra app (client) id: the audience of incoming tokens. */
        clientId: string;
        /**
         * A client secret of that app registration; the bot gets its own token with it.
         * @visibility secret
         */
        clientSecret: string;
        /** The Microsoft Entra tenant the bot is registered in (single-tenant bot). */
        tenantId: string;
        /**
         * The Microsoft Entra authority, https. Default `https://login.microsoftonline.com`;
         * set it for a national cloud.
         */
        authorityEndpoint?: string;
        /**
         * Token issuers accepted on incoming activities. Default as the Microsoft 365 Agents
         * SDK's: Azure Bot Service (`https://api.botframework.com`) and the tenant's v1 and v2
         * issuers at the authority.
         */
        issuers?: string[];
        /**
         * The Bot Connector service where new one-to-one chats are created, https. Default
         * `https://smba.trafficmanager.net/teams/`.
         */
        serviceUrl?: string;
      };
    };
  };
}
