/** Calendar dates as `YYYY-MM-DD` strings: they compare correctly as strings. */

export interface Period {
  startDate?: string;
  endDate?: string;
}

export type PeriodStatus = 'current' | 'not-started' | 'ended';

/** Start and end dates are inclusive; a missing one is open-ended. */
export function periodStatus(period: Period, today: string): PeriodStatus {
  if (period.startDate !== undefined && period.startDate > today) return 'not-started';
  if (period.endDate !== undefined && period.endDate < today) return 'ended';
  return 'current';
}

export const isCurrent = (period: Period, today: string): boolean => periodStatus(period, today) === 'current';

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The days on which a period's status flips: its start, and the day after its end. */
export function periodTransitions(period: Period): string[] {
  const days: string[] = [];
  if (period.startDate !== undefined) days.push(period.startDate);
  if (period.endDate !== undefined) days.push(nextDay(period.endDate));
  return days;
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Describes a period that is not current, without its dates (they are not needed to act on it). */
export const periodReason = (status: PeriodStatus): string =>
  status === 'not-started' ? 'it has not started yet (startDate is after today)' : 'it has ended (endDate is before today)';
