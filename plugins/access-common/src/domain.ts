/**
 * The shapes the access API speaks in: what can be requested, and under which flow.
 */
import type { AccessFlowAgents } from './agents';

/** Something requestable: a catalog entity with the access annotations, or one from config. */
export interface AccessResource {
  /** Entity ref, e.g. `resource:default/payments-db`. */
  ref: string;
  title: string;
  type: string;
  description?: string;
  /** Id of the provisioner that grants and revokes it (`jit-access.io/integration`). */
  integration: string;
  permissions: string[];
  /** Entity refs of the owners (users or groups), the default approvers. */
  owners: string[];
  tags: string[];
  /** Where it came from. */
  source: 'catalog' | 'config' | 'provisioner';
}

/** One (resource, permission) pair in a request. */
export interface AccessItem {
  resourceRef: string;
  permission: string;
}

/** A named set of items that can be requested together, whole or in part. */
export interface AccessBundle {
  id: string;
  title: string;
  description?: string;
  items: AccessItem[];
}

/** Who approves a stage: the resource owners and/or named users and groups. */
export interface ApprovalStageRule {
  /** Entity refs (users or groups), and the word `owners` for the resources' owners. */
  approvers: string[];
  minApprovals: number;
  /** After `after` (ISO-8601) waiting in this stage, these approvers may decide it too. */
  escalation?: { after: string; approvers: string[] };
}

export type ReasonRule = 'none' | 'reject' | 'approve' | 'both';

export interface FlowQuestion {
  id: string;
  label: string;
  type: 'text' | 'choice';
  choices?: string[];
  required: boolean;
}

/** An access flow (policy): who may request what, for how long, approved by whom. */
export interface AccessFlow {
  id: string;
  title: string;
  description?: string;
  /** User/group refs allowed to request; absent means everyone. */
  requestors?: string[];
  resources: {
    refs?: string[];
    types?: string[];
    integrations?: string[];
    tags?: string[];
  };
  /** Permissions the flow allows; absent means all the resource offers. */
  permissions?: string[];
  /** ISO-8601 durations offered to the requester. */
  durations: string[];
  /** ISO-8601; the longest a grant may last, extensions included. */
  maxDuration: string;
  approval: {
    stages: ApprovalStageRule[];
    requireReason: ReasonRule;
    allowSelfApproval: boolean;
    /** Whether one person may decide several stages of a request (default: at most one). */
    allowSameApproverAcrossStages?: boolean;
    /** ISO-8601: undecided approvers are reminded this long before the pending timeout. */
    remindBefore?: string;
  };
  justification: { required: boolean; minLength: number };
  ticket: { required: boolean; types: string[]; pattern?: string };
  questions: FlowQuestion[];
  extension: { maxExtensions: number; requiresApproval: boolean };
  /** ISO-8601; a request pending longer than this fails ("approval timed out"). */
  pendingTimeout: string;
  onBehalfOf: boolean;
  allowScheduledStart: boolean;
  /**
   * Whether the flow matches resources from the catalog, which anyone who registers a catalog
   * location can write. Absent: a flow with approval stages does, an automatic one does not.
   */
  allowCatalogResources?: boolean;
  /** What AI assistants may request under the flow; absent: only with a person's approval. */
  agents?: AccessFlowAgents;
}
