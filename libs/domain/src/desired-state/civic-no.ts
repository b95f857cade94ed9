import { isCalendarDate } from './calendar.js';

/**
 * Checks a civic number as Skolverket accepts it: a 12-digit personnummer with a valid check digit,
 * a samordningsnummer (birth day + 60), or a temporary number `YYYYMMDDTFxx`.
 * Returns why it is refused, in words that never repeat the number itself; undefined when valid.
 */
export function civicNoProblem(value: string): string | undefined {
  const temporary = /^(\d{4})(\d{2})(\d{2})TF\d{2}$/.exec(value);
  if (temporary) {
    return isCalendarDate(Number(temporary[1]), Number(temporary[2]), Number(temporary[3]))
      ? undefined
      : 'civicNo is a temporary number (YYYYMMDDTFxx) whose date part is not a calendar date';
  }
  const digits = /^(\d{4})(\d{2})(\d{2})\d{4}$/.exec(value);
  if (!digits) {
    return 'civicNo must be 12 digits without separators (personnummer or samordningsnummer) or YYYYMMDDTFxx';
  }
  const year = Number(digits[1]);
  const month = Number(digits[2]);
  const day = Number(digits[3]);
  const birthDay = day > 60 ? day - 60 : day;
  if (!isCalendarDate(year, month, birthDay)) {
    return day > 60
      ? 'civicNo is a samordningsnummer whose birth day minus 60 is not a calendar date'
      : 'civicNo does not start with a calendar date YYYYMMDD';
  }
  if (!hasValidCheckDigit(value.slice(2))) return 'civicNo has a wrong check digit (Luhn)';
  return undefined;
}

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
