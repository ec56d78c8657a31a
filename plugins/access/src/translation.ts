import { createTranslationRef } from '@backstage/core-plugin-api/alpha';

/**
 * Every string the access plugin shows to people, in English. An app replaces any of them (or
 * adds a language) through its translation API; see the README's "Translations" section.
 *
 * Keys are grouped by the page or component that shows them; `shared.*` is used across pages.
 * Plurals use i18next's `_one` / `_other` suffixes with a `count` value, and values are
 * interpolated as `{{name}}`.
 *
 * @alpha
 */
export const accessTranslationRef = createTranslationRef({
  id: 'access',
  messages: {
    accessPage: {
      title: 'Access',
      subtitle: 'Request temporary access to databases, cloud roles and apps',
      tabs: {
        myAccess: 'My access',
        newRequest: 'New request',
        myRequests: 'My requests',
        delegatedRequests: 'Delegated requests',
        approvals: 'Approvals',
        admin: 'Admin',
      },
    },
    requesterContext: {
      title: 'Requester and history',
      team: "Requester's team: {{teams}}",
      noTeam: "Requester's team: none in the catalog",
      historyTitle: 'History with the same access',
      historyOf: 'History of {{person}} with the same access',
      item: '{{resource}} ({{permission}})',
      granted_one: 'Granted once in the last {{days}} days',
      granted_other: 'Granted {{count}} times in the last {{days}} days',
      notGranted: 'Not granted in the last {{days}} days',
      lastApproved: 'Last decision: approved by {{person}} on {{date}}',
      lastRejected: 'Last decision: rejected by {{person}} on {{date}}',
      noDecision: 'No earlier decision',
      pending_one: 'One other request waiting for approval',
      pending_other: '{{count}} other requests waiting for approval',
      activeUntil: 'Has this access now, until {{date}}',
      active: 'Has this access now',
    },
    shared: {
      status: {
        pending_approval: 'Pending approval',
        scheduled: 'Scheduled',
        granting: 'Granting',
        active: 'Active',
        revoking: 'Revoking',
        expired: 'Expired',
        revoked: 'Revoked',
        rejected: 'Rejected',
        cancelled: 'Cancelled',
        failed: 'Failed',
        partiallyFulfilled: 'Partially fulfilled',
      },
      countdown: {
        ariaLabel: 'Ends {{time}}',
        left: '{{remaining}} left',
        ended: 'Ended',
      },
    },
  },
});
