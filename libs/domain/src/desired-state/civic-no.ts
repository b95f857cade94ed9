import { isCalendarDate } from './calendar.js';

/**
 * Checks a civic number as Skolverket accepts it: a 12-digit personnummer with a valid check digit,
 * a samordningsnummer (birth day + 60), or a temporary number `YYYYMMDDTFxx`, whose birth date is not
 * after `today` (YYYY-MM-DD). Returns why it is refused, in words that never repeat the number itself;
 * undefined when valid.
 */
export function civicNoProblem(value: string, today: string): string | undefined {
  const temporary = /^(\d{4})(\d{2})(\d{2})TF\d{2}$/.exec(value);
  if (temporary) {
    if (!isCalendarDate(Number(temporary[1]), Number(temporary[2]), Number(temporary[3]))) {
      return 'civicNo is a temporary number (YYYYMMDDTFxx) whose date part is not a calendar date';
    }
    return isFuture(civicNoBirthDate(value)!, today) ? FUTURE : undefined;
  }
  const digits = /^(\d{4})(\d{2})(\d{2})\d{4}$/.exec(value);
  if (!digits) {
    return 'civicNo must be 12 digits without separators (personnummer or samordningsnummer) or YYYYMMDDTFxx';
  }
  const day = Number(digits[3]);
  if (!isCalendarDate(Number(digits[1]), Number(digits[2]), day > 60 ? day - 60 : day)) {
    return day > 60
      ? 'civicNo is a samordningsnummer whose birth day minus 60 is not a calendar date'
      : 'civicNo does not start with a calendar date YYYYMMDD';
  }
  if (isFuture(civicNoBirthDate(value)!, today)) return FUTURE;
  if (!hasValidCheckDigit(value.slice(2))) return 'civicNo has a wrong check digit (Luhn)';
  return undefined;
}

const FUTURE = 'civicNo gives a birth date in the future (Skolverket refuses it)';

/** The birth date (YYYY-MM-DD) a civic number gives, samordningsnummer day minus 60; undefined when it has none. */
export function civicNoBirthDate(value: string): string | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})(?:TF\d{2}|\d{4})$/.exec(value);
  if (!parts) return undefined;
  const day = Number(parts[3]);
  return `${parts[1]}-${parts[2]}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
}

const isFuture = (birthDate: string, today: string): boolean => birthDate > today;

/** Luhn over the 10-digit form YYMMDDNNNC. */
function hasValidCheckDigit(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}
