/** Swedish personnummer / samordningsnummer: 12 digits YYYYMMDDNNNC with a Luhn check digit C. */

/** The Luhn check digit over the 9 digits YYMMDDNNN. */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let digit = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export interface CivicNumberParts {
  year: number;
  month: number;
  day: number;
  /** Three-digit birth number; its last digit is odd for men, even for women. */
  serial: number;
  /** A samordningsnummer adds 60 to the day. */
  coordination?: boolean;
}

export function civicNumber(parts: CivicNumberParts): string {
  const day = parts.day + (parts.coordination ? 60 : 0);
  const body = `${pad(parts.year % 100, 2)}${pad(parts.month, 2)}${pad(day, 2)}${pad(parts.serial, 3)}`;
  return `${pad(parts.year, 4)}${body.slice(2)}${luhnCheckDigit(body)}`;
}

/** True for a 12-digit personnummer or samordningsnummer with a real calendar date and a correct check digit. */
export function isValidCivicNumber(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(4, 6));
  let day = Number(value.slice(6, 8));
  if (day > 60) day -= 60;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return luhnCheckDigit(value.slice(2, 11)) === Number(value[11]);
}

export function isCoordinationNumber(value: string): boolean {
  return Number(value.slice(6, 8)) > 60;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
