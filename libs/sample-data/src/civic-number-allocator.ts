import { civicNumber } from './civic-number.js';
import { dayOfYear, daysInYear } from './dates.js';
import { mixSeed } from './prng.js';
import { STREAM } from './streams.js';

const DAY_STRIDE = 97; // prime, shares no factor with 365 or 366: spreads birthdays over the year
const MAX_BLOCKS = 450;

/**
 * The k-th person born in `birthYear` gets a civic number no one else in the municipality gets:
 * k picks the sex (alternating), the birthday (spread over the year) and a birth number in the 9xx range
 * first (rare in real life, so the data reads as made up), wrapping to 0xx.. only for very large runs.
 */
export function allocateCivicNumber(seed: number, birthYear: number, k: number, coordination: boolean) {
  const male = k % 2 === 1;
  const j = Math.floor(k / 2);
  const days = daysInYear(birthYear);
  const block = Math.floor(j / days);
  if (block >= MAX_BLOCKS) throw new RangeError(`too many people born in ${birthYear} for unique civic numbers`);
  const offset = mixSeed(seed, STREAM.civicDay, birthYear) % days;
  const { month, day } = dayOfYear(birthYear, (j * DAY_STRIDE + offset) % days);
  const serial = (900 + 2 * block + (male ? 1 : 0)) % 1000;
  return { value: civicNumber({ year: birthYear, month, day, serial, coordination }), male };
}
