export interface Config {
  access?: {
    /** Provisioners that grant and revoke access by calling signed HTTP webhooks. */
    webhook?: {
      /**
       * Each entry becomes a provisioner whose id is the entry's `id`: resources with
       * `integration: <id>` are granted and revoked through it.
       */
      endpoints?: Array<{
        /** Provisioner id, unique among the endpoints. */
        id: string;
        /** A human name for pages and logs; defaults to the id. */
        title?: string;
        /**
         * https URL that receives the signed `grant` and `revoke` POST requests (http only with
         * `allowInsecure`).
         */
        url: string;
        /**
         * Allows http URLs (`url`, `observeUrl`), whose requests and answers travel in the clear:
         * only for a receiver on the same host or a network you trust. Default false.
         */
        allowInsecure?: boolean;
        /**
         * Shared secret for the HMAC-SHA256 signature of every request.
         * @visibility secret
         */
        secret: string;
        /**
         * How long one HTTP attempt may take: an ISO-8601 duration such as `PT10S`, or an
         * object such as `{ seconds: 10 }`. Default 10 seconds.
         */
        timeout?:
          | string
          | {
              weeks?: number;
              days?: number;
              hours?: number;
              minutes?: number;
              seconds?: number;
              milliseconds?: number;
            };
        /** Retries within one call after a transient failure (0 to 10). Default 2. */
        retries?: number;
        /**
         * https URL (http only with `allowInsecure`) answering a signed GET with `{ "items": [...] }`: the access that
         * exists now, for reconciliation. Without it the endpoint is not reconciled.
         */
        observeUrl?: string;
        /**
         * The catalog entities this endpoint grants. A catalog entity that names this id is
         * requestable only when it is accepted here (or in `access.trust.catalogResources`).
         * Absent: none. Resources in `access.resources` need no acceptance.
         */
        accepts?: {
          /** Refs or patterns (`*` within one part: `resource:iam/*`); default kind `resource`. */
          refs?: string[];
          /** Catalog namespaces. At least one of refs and namespaces. */
          namespaces?: string[];
          /** Narrows what refs and namespaces accept to these types. */
          types?: string[];
        };
      }>;
    };
  };
}
