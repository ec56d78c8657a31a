import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
        /**
         * Whether one person may decide several stages of a request (a member of two stages'
         * approver groups). Default false: a person decides at most one stage.
         */
        allowSameApproverAcrossStages?: boolean;
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
      /**
       * Whether the flow matches catalog entities, whose tags, type and owner anyone who
       * registers a catalog location writes. Default: true for a flow with approval stages;
       * for an automatic one (no stages), `access.trust.automaticFlowsMatchCatalog`, false.
       */
      allowCatalogResources?: boolean;
      /**
       * What AI assistants may request under this flow, through the plugin's actions (MCP).
       * `approval` (the default): a request an assistant makes always waits for a person, even
       * under an automatic flow, and nobody approves their own. `allow`: as the flow says.
       * `deny`: assistants cannot request under this flow.
       */
      agents?: {
        requests?: 'allow' | 'approval' | 'deny';
        /**
         * With `requests: approval` under an automatic flow: who approves (user or group refs, or
         * `owners`). Default: the resources' owners. A flow with stages uses its own stages.
         */
        approvers?: string[];
      };
    }>;

    /**
     * How far catalog data is trusted: see docs/configuration.md. A catalog entity is requestable
     * only when the provisioner it names accepts it (each module's `accepts`), or this does.
     */
    trust?: {
      /** Catalog entities the operator accepts for a provisioner, besides what it accepts itself. */
      catalogResources?: Array<{
        /** The provisioner id (`jit-access.io/integration`). */
        integration: string;
        /** Refs or patterns (`*` within one part: `resource:payments/*`). */
        refs?: string[];
        /** Catalog namespaces. At least one of refs and namespaces. */
        namespaces?: string[];
        /** Narrows the entities refs and namespaces accept to these types. */
        types?: string[];
      }>;
      /** Whether automatic flows match catalog entities unless they say otherwise. Default false. */
      automaticFlowsMatchCatalog?: boolean;
    };

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
      /**
       * ISO-8601 per provisioner id: how long that provisioner's calls may take instead of
       * `callTimeout` (e.g. `{ webhook: PT10S }`).
       */
      callTimeouts?: { [provisionerId: string]: string };
      /** ISO-8601: how often reconciliation runs. Default `PT10M`. */
      reconcileEvery?: string;
    };

    /**
     * Per-user limits, on by default: past one, the API answers 429 with Retry-After. Counted in
     * each backend instance's memory.
     */
    rateLimits?: {
      /** Default true. */
      enabled?: boolean;
      /** Submissions, requests again, favorites requested and extensions. Default 60 per PT1M. */
      submissions?: { limit?: number; window?: string };
      /** Approvals and rejections. Default 300 per PT1M. */
      decisions?: { limit?: number; window?: string };
    };

    /**
     * When the plugin's scheduled jobs run: each a Backstage task schedule (`frequency`,
     * `timeout`, optional `initialDelay`). Defaults: discovery every 10 minutes, the provisioning
     * sweep every 15 seconds, pending approvals (timeouts, reminders, escalation) every minute,
     * reconciliation every `engine.reconcileEvery`.
     */
    schedules?: {
      discovery?: SchedulerServiceTaskScheduleDefinitionConfig;
      provisioningSweep?: SchedulerServiceTaskScheduleDefinitionConfig;
      pendingApprovals?: SchedulerServiceTaskScheduleDefinitionConfig;
      reconciliation?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The chat outbox's backstop (default: every 10 seconds). */
      chatDeliveries?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * Chat (Slack, Microsoft Teams), with a chat module installed. Each module reads its own
     * section (`access.chat.slack`, `access.chat.teams`).
     */
    chat?: {
      /** ISO-8601: how long before access ends its people hear "expiring soon" (default PT1H). */
      expiringSoonBefore?: string;
      /** How failed chat deliveries are retried, with exponential backoff. */
      retry?: {
        /** Attempts in all before a delivery fails (default 10). */
        maxAttempts?: number;
        /** ISO-8601 delay after the first failure, doubled after each further one (default PT5S). */
        initialDelay?: string;
        /** ISO-8601 longest delay (default PT10M); a vendor's Retry-After may ask for longer. */
        maxDelay?: string;
      };
    };

    /** Credentials issued by provisioners are sealed with this until shown once. */
    credentials?: {
      /**
       * At least 32 characters; the same on every instance and across restarts. Required
       * unless NODE_ENV is `development` or `test` (or `dangerouslyAllowEphemeralKey` is true):
       * the plugin refuses to start without it.
       * @visibility secret
       */
      encryptionKey?: string;
      /**
       * Run without `encryptionKey` whatever NODE_ENV is: credentials are sealed with a random
       * key that lives as long as the process, so another instance, or this one after a restart,
       * cannot show them (they can only be reset). Only for throw-away single-instance demos.
       */
      dangerouslyAllowEphemeralKey?: boolean;
    };

    /** The hash-chained audit log: see docs/configuration.md. */
    audit?: {
      /**
       * Keys the audit chain (HMAC-SHA256): at least 32 characters, the same on every instance and
       * never changed. Required unless NODE_ENV is `development` or `test`.
       * @visibility secret
       */
      chainKey?: string;
      /** Start without `chainKey` outside development and test. Default false. */
      dangerouslyAllowUnkeyedChain?: boolean;
      /** The job that exports the chain's head through the auditor and the logs. */
      anchor?: {
        /** Default: every 10 minutes, first after 1 minute, on one instance at a time. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
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
