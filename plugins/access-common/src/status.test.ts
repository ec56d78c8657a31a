import {
  REQUEST_STATUSES,
  isRequestStatus,
  isTerminalStatus,
  TERMINAL_STATUSES,
} from './status';

describe('request statuses', () => {
  it('recognises every status and nothing else', () => {
    for (const status of REQUEST_STATUSES) {
      expect(isRequestStatus(status)).toBe(true);
    }
    expect(isRequestStatus('approved')).toBe(false);
    expect(isRequestStatus(undefined)).toBe(false);
  });

  it('treats only closed statuses as terminal', () => {
    expect(isTerminalStatus('active')).toBe(false);
    expect(isTerminalStatus('pending_approval')).toBe(false);
    expect(isTerminalStatus('expired')).toBe(true);
    expect(
      [...TERMINAL_STATUSES].every(s => REQUEST_STATUSES.includes(s)),
    ).toBe(true);
  });
});
