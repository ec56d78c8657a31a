export interface Config {
  /**
   * Just-in-time access: resources defined in config, bundles and access flows. Read and
   * validated by the access backend at startup; entity refs are normalised (`payments-db`
   * becomes `resource:default/payments-db`).
   */
  access?: {
    /** Requestable resources that are not in the catalog. */
    resources?: Array<{
      /** Entity ref; default kind `resource`, default namespace `default`. Unique. */
      ref: string;
      title: string;
      /** Kind of resource, e.g. `database`. */
      type: string;
      /** Id of the provisioner that grants and revokes it. */
      integration: string;
      /** Permissions that can be requested (at least one). */
      permissions: string[];
      /** User or group refs (default kind `group`): the default approvers. */
      owners: string[];
      /** Default: none. */
      tags?: string[];
      description?: string;
    }>;

    /** Named sets of items that can be requested together. */
    bundles?: Array<{
      /** Unique. */
      id: string;
      title: string;
      description?: string;
      /** At least one. */
      items: Array<{
        /** Entity ref; default kind `resource`. */
        resource: string;
        permission: string;
      }>;
    }>;

    /** Access flows: who may request what, for how long, approved by whom. */
    flows?: Array<{
      /** Unique. */
      id: string;
      title: string;
      description?: string;
      /** User or group refs (default kind `user`) allowed to request; absent means everyone. */
      requestors?: string[];
      /** Which resources the flow covers; at least one of the lists must be non-empty. */
      resources: {
        /** Entity refs; default kind `resource`. */
        refs?: string[];
        types?: string[];
        integrations?: string[];
        tags?: string[];
      };
      /** Permissions the flow allows; absent means all the resource offers. */
      permissions?: string[];
      /** ISO-8601 durations offered to the requester, e.g. `PT1H`, `P1D` (at least one). */
      durations: string[];
      /** ISO-8601; the longest a grant may last, extensions included. Default: the longest of `durations`. */
      maxDuration?: string;
      approval?: {
        /** Approval stages, in order. Default: none, i.e. automatic approval. */
        stages?: Array<{
          /** User or group refs (default kind `group`), or the word `owners` for the resources' owners. */
          approvers: string[];
          /** Approvals needed to pass the stage. Default 1. */
          minApprovals?: number;
          /** After `after` (ISO-8601) in this stage, these approvers may decide it too. */
          escalation?: {
            after: string;
            /** User or group refs (default kind `group`), or `owners`. */
            approvers: string[];
          };
        }>;
        /** When an approver must give a reason. Default `none`. */
        requireReason?: 'none' | 'reject' | 'approve' | 'both';
        /** Whether requesters may approve their own requests. Default false. */
        allowSelfApproval?: boolean;
        /** ISO-8601: remind undecided approvers this long before the pending timeout. Default: half of it. */
        remindBefore?: string;
      };
      justification?: {
        /** Default false. */
        required?: boolean;
        /** Default 0. */
        minLength?: number;
      };
      ticket?: {
        /** Default false. */
        required?: boolean;
        /** Ticket systems accepted, e.g. `jira`. Default: none. */
        types?: string[];
        /** JavaScript regular expression the ticket id must match. */
        pattern?: string;
      };
      /** Extra questions asked of the requester. Default: none. */
      questions?: Array<{
        /** Unique within the flow. */
        id: string;
        label: string;
        type: 'text' | 'choice';
        /** Required (non-empty) when `type` is `choice`. */
        choices?: string[];
        /** Default false. */
        required?: boolean;
      }>;
      extension?: {
        /** How many times a grant may be extended. Default 0. */
        maxExtensions?: number;
        /** Default true. */
        requiresApproval?: boolean;
      };
      /** ISO-8601; a request pending longer than this fails. Default `P7D`. */
      pendingTimeout?: string;
      /** Whether a request may be made for someone else. Default false. */
      onBehalfOf?: boolean;
      /** Whether a request may start at a later time. Default false. */
      allowScheduledStart?: boolean;
    }>;

    /** The provisioning engine: see docs/engine.md. */
    engine?: {
      /** false: this instance serves the API only. Default true. */
      enabled?: boolean;
      retry?: {
        /** Calls in all before a grant fails. Default 8. */
        maxAttempts?: number;
        /** ISO-8601. Default `PT2S`, doubled after each failure. */
        initialDelay?: string;
        /** ISO-8601. Default `PT5M`. */
        maxDelay?: string;
      };
      /** ISO-8601: how long one provisioner call may take. Default `PT60S`. */
      callTimeout?: string;
      /** ISO-8601: how often reconciliation runs. Default `PT10M`. */
      reconcileEvery?: string;
    };

    /** Credentials issued by provisioners are sealed with this until shown once. */
    credentials?: {
      /**
       * At least 32 characters; the same on every instance and across restarts.
       * @visibility secret
       */
      encryptionKey: string;
    };
  };

  permission?: {
    /**
     * Read by the example policy `@jit-access/plugin-access-backend/policy`: the users and groups
     * (kind defaults to `group`, namespace to `default`) who administer access. Missing: nobody.
     */
    accessAdmins?: string[];
  };
}
