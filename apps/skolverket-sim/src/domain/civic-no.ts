/**
 * Checks a civic number the way the Provisioning API takes it: a 12-digit personnummer with a valid check
 * digit, a samordningsnummer (birth day + 60) or a temporary number `YYYYMMDDTFxx`. Returns the reason it is
 * refused, or null. The reason never repeats the number: it is personal data.
 */
export function civicNoProblem(value: string, today: Date): string | null {
  const temporary = /^(\d{4})(\d{2})(\d{2})TF\d{2}$/.exec(value);
  if (temporary) {
    return birthDateProblem(Number(temporary[1]), Number(temporary[2]), Number(temporary[3]), today);
  }
  const full = /^(\d{4})(\d{2})(\d{2})\d{4}$/.exec(value);
  if (!full) return 'ska vara 12 siffror utan avskiljare (personnummer eller samordningsnummer) eller ÅÅÅÅMMDDTFxx';
  let day = Number(full[3]);
  if (day > 60) day -= 60;
  const dateProblem = birthDateProblem(Number(full[1]), Number(full[2]), day, today);
  if (dateProblem) return dateProblem;
  return luhnValid(value.slice(2)) ? null : 'kontrollsiffran stämmer inte';
}

function birthDateProblem(year: number, month: number, day: number, today: Date): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'födelsedatumet är inte ett giltigt datum';
  }
  return date.getTime() > today.getTime() ? 'födelsedatumet ligger i framtiden' : null;
}

/** The Luhn check over the ten digits YYMMDDNNNC. */
function luhnValid(tenDigits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let digit = Number(tenDigits[i]) * (i % 2 === 0 ? 2 : 1);
    if (digit > 9) digit -= 9;
    sum += digit;
  }
  return sum % 10 === 0;
}
