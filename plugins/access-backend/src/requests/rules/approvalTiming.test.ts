import { approvedTiming } from './approvalTiming';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('approvedTiming', () => {
  it.each<
    [
      string,
      Parameters<typeof approvedTiming>[0],
      ReturnType<typeof approvedTiming>,
    ]
  >([
    [
      'a duration counts from the approval',
      { duration: 'PT1H' },
      { scheduled: false, dueAt: NOW, endsAt: at(60) },
    ],
    [
      'a duration counts from a later start, which is scheduled',
      { duration: 'PT1H', startsAt: at(30) },
      { scheduled: true, dueAt: at(30), endsAt: at(90) },
    ],
    [
      'a start already past is granted now, its duration counted from that start',
      { duration: 'PT1H', startsAt: at(-1) },
      { scheduled: false, dueAt: NOW, endsAt: at(59) },
    ],
    [
      'an explicit end stays',
      { startsAt: at(30), endsAt: at(120) },
      { scheduled: true, dueAt: at(30), endsAt: at(120) },
    ],
    [
      'neither end nor duration: no end',
      {},
      { scheduled: false, dueAt: NOW, endsAt: null },
    ],
  ])('%s', (_, request, expected) => {
    expect(approvedTiming(request, NOW)).toEqual(expected);
  });
});
