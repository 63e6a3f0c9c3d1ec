import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDuration, fitSendWindow, nextWeekdayAt, relativeToDate } from '../../engine/time/calendar.js';

describe('addDuration', () => {
  it('keeps the local clock time across a DST change when adding days (Madrid, spring forward 29 Mar 2026)', () => {
    // 27 Mar 09:00 CET is 08:00Z; 3 days later is 30 Mar 09:00 CEST = 07:00Z.
    const r = addDuration('2026-03-27T08:00:00Z', { amount: 3, unit: 'days' }, 'Europe/Madrid');
    expect(r.at).toBe('2026-03-30T07:00:00Z');
    expect(r.why).toContain('same local time');
  });

  it('adds hours as absolute time across the same DST change', () => {
    expect(addDuration('2026-03-28T23:00:00Z', { amount: 24, unit: 'hours' }, 'Europe/Madrid').at).toBe(
      '2026-03-29T23:00:00Z',
    );
  });

  it('skips weekends and holidays for business days, and says which holiday', () => {
    // Thu 24 Dec 2026 10:00 in Mexico City + 2 business days: Fri 25 is a holiday, Sat/Sun skipped → Mon 28, Tue 29.
    const r = addDuration('2026-12-24T16:00:00Z', { amount: 2, unit: 'businessDays' }, 'America/Mexico_City', {
      holidays: ['2026-12-25'],
      weekend: ['sat', 'sun'],
    });
    expect(r.at).toBe('2026-12-29T16:00:00Z');
    expect(r.why).toContain('skipping holiday 2026-12-25');
  });

  it('counts a business day from a Saturday as the Monday after', () => {
    expect(addDuration('2026-11-28T10:00:00Z', { amount: 1, unit: 'businessDays' }, 'UTC').at).toBe(
      '2026-11-30T10:00:00Z',
    );
  });

  it('never lands on a weekend when adding business days (any start, any count)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        (start, amount) => {
          const r = addDuration(start.toISOString(), { amount, unit: 'businessDays' }, 'America/New_York');
          const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: 'America/New_York' }).format(
            new Date(r.at),
          );
          return day !== 'Sat' && day !== 'Sun';
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('nextWeekdayAt', () => {
  it('finds next Monday 09:00 in the account time zone', () => {
    // Wed 25 Nov 2026 15:00 in New York (EST, UTC−5) → Mon 30 Nov 09:00 EST = 14:00Z.
    const r = nextWeekdayAt('2026-11-25T20:00:00Z', 'mon', '09:00', 'America/New_York');
    expect(r.at).toBe('2026-11-30T14:00:00Z');
    expect(r.why).toBe('next Monday 09:00 after Wed 25 Nov 2026 15:00 (America/New_York)');
  });

  it('is strictly after: on Monday 09:00 itself it answers the Monday after', () => {
    expect(nextWeekdayAt('2026-11-30T14:00:00Z', 'mon', '09:00', 'America/New_York').at).toBe('2026-12-07T14:00:00Z');
  });
});

describe('relativeToDate', () => {
  it('places renewalDate − 90 days at 09:00 local time', () => {
    const r = relativeToDate('2027-03-01', -90, 'Europe/Madrid');
    expect(r.at).toBe('2026-12-01T08:00:00Z');
    expect(r.why).toBe('90 day(s) before 2027-03-01, at 09:00 (Europe/Madrid)');
  });
});

describe('fitSendWindow', () => {
  it('leaves an instant inside the window alone', () => {
    expect(fitSendWindow('2026-11-24T10:00:00Z', 'Europe/Madrid')).toEqual({ at: '2026-11-24T10:00:00Z', why: '' });
  });

  it('moves Friday 18:30 to Monday 09:00 and says why', () => {
    // Fri 27 Nov 2026 18:30 in Madrid (CET, UTC+1) → Mon 30 Nov 09:00 = 08:00Z.
    const r = fitSendWindow('2026-11-27T17:30:00Z', 'Europe/Madrid');
    expect(r.at).toBe('2026-11-30T08:00:00Z');
    expect(r.why).toBe(
      'moved to Mon 30 Nov 2026 09:00 (Europe/Madrid): outside the send window (Mon, Tue, Wed, Thu, Fri 09:00–18:00)',
    );
  });

  it('moves an early morning to 09:00 the same day, and skips a holiday', () => {
    expect(fitSendWindow('2026-11-24T05:00:00Z', 'Europe/Madrid').at).toBe('2026-11-24T08:00:00Z');
    const r = fitSendWindow('2026-12-24T18:00:00Z', 'Europe/Madrid', undefined, {
      holidays: ['2026-12-25'],
      weekend: ['sat', 'sun'],
    });
    expect(r.at).toBe('2026-12-28T08:00:00Z');
  });

  it('always answers an instant inside the window, never earlier than asked', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        (start) => {
          const r = fitSendWindow(start.toISOString(), 'America/Los_Angeles');
          const again = fitSendWindow(r.at, 'America/Los_Angeles');
          return (
            new Date(r.at) >= new Date(Math.floor(start.getTime() / 1000) * 1000) &&
            again.why === '' &&
            again.at === r.at
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
