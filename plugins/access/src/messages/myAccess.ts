/** English messages of the access plugin: The access page itself, My access, access details (credentials) and the entity card. See ../translation.ts. */

export const accessPage = {
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
} as const;

export const myAccess = {
  widgets: {
    label: 'Filter by status',
    counting: '…',
    atLeast: '{{value}}+',
  },
  currentAccess: 'Current access',
  myRequests: 'My requests',
  what: 'your access',
  whatMore: 'requests',
  requestAccess: 'Request access',
  empty: {
    active: 'You have no active access',
    pending_approval: 'Nothing is waiting for approval',
    scheduled: 'No access is scheduled to start later',
    failed: 'No failed requests',
  },
  separator: ' · ',
  requestAgain: 'Request again',
  requestAgainLabel: 'Request again: {{what}}',
  card: {
    for: 'For {{grantee}}',
    ends: 'Ends {{time}} · {{countdown}}',
    accessDetails: 'Access details',
    accessDetailsOf: 'Access details ({{resource}})',
    accessDetailsLabel: 'Access details for {{item}}',
    extend: 'Extend',
    revoke: 'Revoke',
    cancelRequest: 'Cancel request',
    details: 'Details',
    detailsLabel: 'Details of {{title}}',
    revokeTitle: 'Revoke this access?',
    revokeDescription: 'Access to {{title}} ends now.',
    cancelTitle: 'Cancel this request?',
  },
  recent: {
    title: 'Recent requests',
    all: 'All my requests',
    what: 'recent requests',
    emptyTitle: 'No closed requests yet',
    emptyDescription:
      'Requests that expired, were revoked, rejected or cancelled appear here.',
  },
  favorites: {
    title: 'Favorites',
    what: 'favorites',
    emptyTitle: 'No favorites yet',
    emptyDescription:
      'Mark an active or closed request as a favorite to request it again in one step.',
    remove: 'Remove from favorites',
    removeLabel: 'Remove favorite {{name}}',
  },
} as const;

export const credentials = {
  title: 'Access details: {{item}}',
  noCredentials:
    'This access needs no credentials of its own, or they are not ready yet. Use your usual sign-in for this resource.',
  copyNow:
    'Copy these now: they are shown only once. To see credentials again you will have to reset them.',
  confirmReset:
    'Resetting issues new credentials and the old ones stop working. Reset them now?',
  alreadyShown:
    'The credentials were already shown. Reset them to get new ones.',
  showOnce:
    'Your credentials can be shown once. Make sure nobody is looking over your shoulder.',
  reset: 'Reset credentials',
  resetEllipsis: 'Reset credentials…',
  show: 'Show credentials',
  tableLabel: 'Credentials',
  copy: 'Copy {{name}}',
} as const;

export const entityCard = {
  title: 'Just-in-time access',
  tabTitle: 'Access',
  requestAccess: 'Request access',
  what: 'the access to this entity',
  nothingRequestable: 'Nothing on this entity can be requested.',
  subheader: '{{type}} via {{integration}}',
  permissions: 'Permissions you can request',
  holders: 'Who has access now',
  nobody: 'Nobody holds access right now.',
  nobodyVisible: 'Nobody you can see holds access right now.',
  holdersTableLabel: 'Current access holders',
  columns: {
    who: 'Who',
    permission: 'Permission',
    until: 'Until',
  },
  until: '{{time}} ({{countdown}})',
  partialList:
    'Only your own access and access you requested for others is listed.',
} as const;
