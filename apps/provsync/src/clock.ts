const stockholm = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date in Sweden (YYYY-MM-DD): what decides whether an enrolment or a duty is current. */
export function stockholmDate(at: Date): string {
  return stockholm.format(at);
}
