export interface Config {
  access?: {
    /**
     * The manual provisioner, for systems with no API: a grant or revocation becomes a fulfilment
     * task for the resource owners, who do the work and mark it done in the portal. Absent: one
     * provisioner with the id `manual` and the default instructions.
     *
     * Instructions are templates. They may use `{grantee}` and `{resource}` (entity refs),
     * `{permission}`, `{start}` and `{end}` (ISO-8601, UTC) and `{request}` (the request id);
     * `{{` and `}}` are literal braces. Any other placeholder stops the backend from starting.
     */
    manual?: {
      /** Provisioner id that resources name as their integration. Default `manual`. */
      id?: string;
      /** Instructions for resources without instructions of their own. */
      instructions?: {
        /** Default `Give {grantee} {permission} access to {resource} until {end}.` */
        grant?: string;
        /** Default `Remove the {permission} access of {grantee} to {resource}.` */
        revoke?: string;
      };
      /**
       * The catalog entities whose grants the owners agreed to fulfil by hand. A catalog entity
       * that names this provisioner is requestable only when it is accepted here (or in
       * `access.trust.catalogResources`), or listed in `resources` below. Absent: none.
       * Resources in `access.resources` need no acceptance.
       */
      accepts?: {
        /** Refs or patterns (`*` within one part: `resource:it/*`); default kind `resource`. */
        refs?: string[];
        /** Catalog namespaces. At least one of refs and namespaces. */
        namespaces?: string[];
        /** Narrows what refs and namespaces accept to these types. */
        types?: string[];
      };
      /** Resources with instructions of their own; what an entry leaves out comes from `instructions`. */
      resources?: Array<{
        /**
         * Entity ref of the resource; default kind `resource`, default namespace `default`
         * (`payroll` is `resource:default/payroll`). Unique.
         */
        resource: string;
        /** Instructions of the grant task for this resource. */
        grant?: string;
        /** Instructions of the revoke task for this resource. */
        revoke?: string;
      }>;
    };
  };
}
