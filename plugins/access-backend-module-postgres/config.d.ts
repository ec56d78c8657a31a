export interface Config {
  access?: {
    /**
     * Grants temporary PostgreSQL logins: one login role per grant, member of the database role
     * configured for the permission, with `VALID UNTIL` at the grant's end. Absent: the module
     * adds no provisioner.
     */
    postgres?: {
      /** Provisioner id that resources name as their integration. Default `postgres`. */
      id?: string;
      /**
       * Prefix of the login roles this module creates; it only ever touches roles with it.
       * Lower-case letters, digits and underscores, at most 30 characters. Default `jit_`.
       */
      rolePrefix?: string;
      /** The databases access can be granted to (at least one). */
      databases: Array<{
        /**
         * Entity ref of the resource; default kind `resource`, default namespace `default`
         * (`payments-db` is `resource:default/payments-db`). Unique.
         */
        resource: string;
        /** Where the provisioner connects to create and drop login roles. */
        connection: {
          host: string;
          /** Default 5432. */
          port?: number;
          /** Needs CREATEROLE and the right to grant the configured roles; see the README. */
          user: string;
          /**
           * @visibility secret
           */
          password?: string;
          /** The database the grantees connect to. */
          database: string;
          /** TLS options passed to the `pg` driver. */
          ssl?:
            | boolean
            | {
                rejectUnauthorized?: boolean;
                /** PEM certificate(s) of the authority that signed the server's certificate. */
                ca?: string;
              };
        };
        /** Host shown to grantees instead of `connection.host`. */
        publicHost?: string;
        /** Port shown to grantees instead of `connection.port`. */
        publicPort?: number;
        /**
         * Permission name to the existing database role granted for it, e.g.
         * `{ read: app_readonly, write: app_readwrite }`. At least one.
         */
        permissions: { [permission: string]: string };
        /**
         * What revoking does with the objects a login role created in this database (PostgreSQL
         * cannot drop a role that owns any): `drop` them with the role (default), or
         * `quarantine` them, handing them to `quarantineRole`. Never to the connection user.
         * See the README.
         */
        onOwnedObjects?: 'drop' | 'quarantine';
        /**
         * With `onOwnedObjects: quarantine` (and only then): a role made for this alone, NOLOGIN,
         * without other attributes, a member of no role, granted to the connection user and
         * with CREATE on the schemas grantees can create in. Checked at every revocation that
         * uses it; a revocation fails rather than hand anything to a role with powers.
         */
        quarantineRole?: string;
      }>;
    };
  };
}
