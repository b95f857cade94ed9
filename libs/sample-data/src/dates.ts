/** Calendar-date arithmetic on YYYY-MM-DD strings, in UTC so no time zone or clock leaks in. */
const DAY_MS = 86_400_000;

export function parseDate(date: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2027-02-30 over to March; a round trip catches that.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`dates must be calendar dates YYYY-MM-DD, got "${date}"`);
  }
  return ms;
}

export function addDays(date: string, days: number): string {
  return new Date(parseDate(date) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysInYear(year: number): number {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365;
}

/** Month and day of the n-th day (0-based) of a year. */
export function dayOfYear(year: number, n: number): { month: number; day: number } {
  const date = new Date(Date.UTC(year, 0, 1) + n * DAY_MS);
  return { month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The autumn term start of the school year running on `today` (strictly before it, so it is already current). */
export function schoolYearStart(today: string): { year: number; date: string } {
  const year = Number(today.slice(0, 4));
  const thisAutumn = `${year}-08-15`;
  const startYear = today > thisAutumn ? year : year - 1;
  return { year: startYear, date: `${startYear}-08-15` };
}
