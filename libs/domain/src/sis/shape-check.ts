import type { z } from 'zod';

/** True when the value passes the schema it was compiled from. */
export type ShapeCheck = (value: unknown) => boolean;

/**
 * Compiles a zod schema into a plain yes/no check, for the hot path of valid input. zod stays the contract:
 * it builds a copy of every object it accepts and its issue bookkeeping, which was about half of the CPU
 * spent per event on Kafka ingestion. A valid event passes this check and is used as it is (our object
 * schemas transform nothing, so zod's copy would equal it); anything else goes to zod for the problems.
 *
 * Only what our schemas use is supported, and anything else fails at compile time rather than passing
 * unchecked. A unit test holds it to zod's verdict on thousands of variants of the example events.
 */
export function compileShapeCheck(schema: z.ZodType): ShapeCheck {
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case 'unknown':
      return () => true;
    case 'optional': {
      const inner = compileShapeCheck(def.innerType!);
      return (value) => value === undefined || inner(value);
    }
    case 'literal': {
      const values = def.values!;
      return (value) => values.includes(value);
    }
    case 'boolean':
      return (value) => typeof value === 'boolean';
    case 'string':
      return compileString(def);
    case 'number':
      return compileNumber(def);
    case 'array':
      return compileArray(def);
    case 'object':
      return compileObject(def);
    default:
      throw unsupported(`type "${def.type}"`);
  }
}

interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

interface Def extends CheckDef {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  innerType?: z.ZodType;
  values?: unknown[];
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
}

/** String formats that are a regular expression and nothing more (url, email and the like are not). */
const PATTERN_FORMATS = new Set(['regex', 'guid', 'date', 'datetime']);

function compileString(def: Def): ShapeCheck {
  // A format schema (z.guid(), z.iso.date()) is its own first check.
  const tests = checksOf(def).map((check) => lengthOrPattern(check));
  return (value) => typeof value === 'string' && tests.every((test) => test(value));
}

function lengthOrPattern(check: CheckDef): (text: string) => boolean {
  switch (check.check) {
    case 'min_length':
      return (text) => text.length >= check.minimum!;
    case 'max_length':
      return (text) => text.length <= check.maximum!;
    case 'string_format': {
      if (!PATTERN_FORMATS.has(check.format!) || !check.pattern) throw unsupported(`string format "${check.format}"`);
      const pattern = check.pattern;
      return (text) => {
        pattern.lastIndex = 0;
        return pattern.test(text);
      };
    }
    default:
      throw unsupported(`string check "${check.check}"`);
  }
}

function compileNumber(def: Def): ShapeCheck {
  const tests = checksOf(def).map((check): ((n: number) => boolean) => {
    if (check.check === 'number_format' && check.format === 'safeint') return Number.isSafeInteger;
    if (check.check === 'greater_than') return check.inclusive ? (n) => n >= check.value! : (n) => n > check.value!;
    if (check.check === 'less_than') return check.inclusive ? (n) => n <= check.value! : (n) => n < check.value!;
    throw unsupported(`number check "${check.check}" ${check.format ?? ''}`);
  });
  return (value) => typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value));
}

function compileArray(def: Def): ShapeCheck {
  const element = compileShapeCheck(def.element!);
  const tests = checksOf(def).map((check): ((length: number) => boolean) => {
    if (check.check === 'max_length') return (length) => length <= check.maximum!;
    if (check.check === 'min_length') return (length) => length >= check.minimum!;
    throw unsupported(`array check "${check.check}"`);
  });
  return (value) => Array.isArray(value) && tests.every((test) => test(value.length)) && value.every(element);
}

function compileObject(def: Def): ShapeCheck {
  const fields = Object.entries(def.shape!).map(([key, schema]) => [key, compileShapeCheck(schema)] as const);
  const catchall = def.catchall ? (def.catchall._zod.def as unknown as Def).type : 'strip';
  // zod's default object drops unknown keys, so its output would differ from the input: not supported.
  if (catchall !== 'unknown' && catchall !== 'never') throw unsupported(`object with catchall "${catchall}"`);
  const known = new Set(fields.map(([key]) => key));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const object = value as Record<string, unknown>;
    for (const [key, check] of fields) if (!check(object[key])) return false;
    if (catchall === 'never') for (const key in object) if (!known.has(key)) return false;
    return true;
  };
}

/** The schema's own format (z.guid() and the like) first, then its added checks. */
function checksOf(def: Def): CheckDef[] {
  const own: CheckDef[] = def.check ? [def] : [];
  return [...own, ...(def.checks ?? []).map((check) => check._zod.def)];
}

function unsupported(what: string): Error {
  return new Error(`compileShapeCheck: ${what} is not supported; extend it, with a case in its unit test`);
}
