/** English messages of the access plugin: The Admin page. See ../translation.ts. */

export const admin = {
  notAdmin: {
    title: 'Administrators only',
    description: 'This page needs the access.admin permission.',
  },
  allRequests: 'All requests',
  audit: {
    title: 'Audit log',
    intact_one: 'The audit chain is intact ({{count}} entry checked).',
    intact_other: 'The audit chain is intact ({{count}} entries checked).',
    broken_one:
      'The audit chain is broken at entry {{entry}} ({{count}} entry checked).',
    broken_other:
      'The audit chain is broken at entry {{entry}} ({{count}} entries checked).',
    brokenWithProblem_one:
      'The audit chain is broken at entry {{entry}}: {{problem}} ({{count}} entry checked).',
    brokenWithProblem_other:
      'The audit chain is broken at entry {{entry}}: {{problem}} ({{count}} entries checked).',
    verify: 'Verify the audit chain',
    verifying: 'Verifying…',
  },
  findings: {
    title: 'Reconciliation findings',
    what: 'reconciliation findings',
    whatMore: 'findings',
    emptyTitle: 'No drift found',
    emptyDescription: 'The provisioners agree with the granted access.',
    columns: {
      found: 'Found',
      kind: 'Kind',
      resource: 'Resource',
      grantee: 'Grantee',
      provisioner: 'Provisioner',
      detail: 'Detail',
    },
    kind: {
      stillPresent: 'Still present after its end (revoked again)',
      untracked: 'Access without a grant',
      missing: 'Granted access has disappeared',
    },
  },
  chatDeliveries: {
    title: 'Chat deliveries',
    subheader:
      'Messages to Slack or Microsoft Teams that failed after every retry.',
    what: 'failed chat deliveries',
    whatMore: 'failed deliveries',
    emptyTitle: 'No failed chat messages',
    emptyDescription:
      'Every chat message was delivered, or is still being retried.',
    chatOff:
      'Chat is off: no chat module is installed, so these messages cannot be sent again.',
    columns: {
      failed: 'Failed',
      chat: 'Chat',
      message: 'Message',
      request: 'Request',
      recipient: 'Recipient',
      attempts: 'Attempts',
      lastError: 'Last error',
      actions: 'Actions',
    },
    kind: {
      approval: 'Approval request',
      approvalUpdate: 'Approval update',
      requesterUpdate: 'Requester update',
    },
    retry: 'Retry',
    retryLabel: 'Retry: {{message}}, request {{request}}',
    retrying: 'Retrying…',
    retried:
      'Queued again: {{message}}, request {{request}}. It will be sent in a moment.',
    retryFailed: 'Could not retry. {{error}}',
  },
} as const;
