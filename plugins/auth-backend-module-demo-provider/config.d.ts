export interface Config {
  auth?: {
    providers?: {
      /**
       * Development-only sign-in as any catalog User by name. Absent means off.
       */
      demo?: {
        /** Namespace of the User entities to sign in as; default `default`. */
        namespace?: string;
        /**
         * Start even with NODE_ENV=production. Anyone who reaches the backend can then sign in
         * as anyone: only for throw-away demo deployments.
         */
        dangerouslyAllowInProduction?: boolean;
      };
    };
  };
}
