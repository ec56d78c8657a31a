export interface Config {
  app?: {
    /**
     * Users the development sign-in page offers. Each signs in through the backend's `demo`
     * auth provider, which must be configured too.
     * @visibility frontend
     */
    demoSignIn?: {
      /** @visibility frontend */
      users: Array<{
        /** Name of the User entity in the catalog. @visibility frontend */
        name: string;
        /** @visibility frontend */
        title?: string;
        /** @visibility frontend */
        description?: string;
      }>;
    };
  };
}
