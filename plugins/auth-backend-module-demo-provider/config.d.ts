export interface Config {
  auth?: {
    providers?: {
      /**
       * Development-only sign-in as any catalog User by name. Absent means off. Runs only with
       * NODE_ENV `development` or `test` unless `dangerouslyAllowOutsideDevelopment` is true; the
       * backend refuses to start otherwise.
       */
      demo?: {
        /** Namespace of the User entities to sign in as; default `default`. */
        namespace?: string;
        /**
         * Start with any NODE_ENV (unset, `staging`, `production`, ...), not only `development`
         * or `test`. Anyone who reaches the backend can then sign in as anyone: only for
         * throw-away demo deployments.
         */
        dangerouslyAllowOutsideDevelopment?: boolean;
        /**
         * Deprecated: the old name of `dangerouslyAllowOutsideDevelopment`, with the same effect.
         * Setting both is an error.
         * @deprecated Use dangerouslyAllowOutsideDevelopment.
         */
        dangerouslyAllowInProduction?: boolean;
      };
    };
  };
}
