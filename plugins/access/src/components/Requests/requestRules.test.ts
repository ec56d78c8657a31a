import { DateTime } from 'luxon';
import { aRequest } from '../../__testUtils__/mockAccessApi';
import {
  canCancel,
  canExtend,
  canFavorite,
  canRequestAgain,
  canRevoke,
  isNearEnd,
} from './requestRules';

const dana = { userEntityRef: 'user:default/dana' };
const lee = { userEntityRef: 'user:default/lee' };
const admin = { userEntityRef: 'user:default/root', isAdmin: true };

describe('request rules', () => {
  it('lets the requester cancel while pending or scheduled only', () => {
    expect(canCancel(aRequest({ status: 'pending_approval' }), dana)).toBe(
      true,
    );
    expect(canCancel(aRequest({ status: 'scheduled' }), dana)).toBe(true);
    expect(canCancel(aRequest({ status: 'active' }), dana)).toBe(false);
    expect(canCancel(aRequest({ status: 'pending_approval' }), lee)).toBe(
      false,
    );
  });

  it('lets requester, grantee and admins revoke live access', () => {
    const delegated = aRequest({ granteeRef: 'user:default/sam' });
    expect(canRevoke(delegated, dana)).toBe(true);
    expect(canRevoke(delegated, { userEntityRef: 'user:default/sam' })).toBe(
      true,
    );
    expect(canRevoke(delegated, admin)).toBe(true);
    expect(canRevoke(delegated, lee)).toBe(false);
    expect(canRevoke(aRequest({ status: 'expired' }), dana)).toBe(false);
  });

  it('offers Extend near the end while extensions are left', () => {
    const start = DateTime.fromISO('2025-03-01T08:00:00Z');
    const request = aRequest({
      startAt: start.toISO()!,
      endAt: start.plus({ hours: 8 }).toISO()!,
      extension: { used: 0, max: 1, requiresApproval: false, durations: [] },
    });
    // The last quarter of eight hours: the last two.
    expect(isNearEnd(request, start.plus({ hours: 5 }))).toBe(false);
    expect(isNearEnd(request, start.plus({ hours: 6, minutes: 30 }))).toBe(
      true,
    );
    expect(isNearEnd(request, start.plus({ hours: 9 }))).toBe(false);
    expect(canExtend(request, dana, start.plus({ hours: 7 }))).toBe(true);
    expect(
      canExtend(
        {
          ...request,
          extension: {
            used: 1,
            max: 1,
            requiresApproval: false,
            durations: [],
          },
        },
        dana,
        start.plus({ hours: 7 }),
      ),
    ).toBe(false);
    expect(canExtend(request, lee, start.plus({ hours: 7 }))).toBe(false);
  });

  it('asks again for closed requests and saves favorites of active or closed ones', () => {
    expect(canRequestAgain(aRequest({ status: 'rejected' }), dana)).toBe(true);
    expect(canRequestAgain(aRequest({ status: 'active' }), dana)).toBe(false);
    expect(canFavorite(aRequest({ status: 'active' }), dana)).toBe(true);
    expect(canFavorite(aRequest({ status: 'pending_approval' }), dana)).toBe(
      false,
    );
  });
});
