import type { z } from 'zod';

/** True when the value passes the schema it was compiled from. */
export type ShapeCheck = (value: unknown) => boolean;

/**
 * Compiles a zod schema into a plain yes/no check, for the hot path of valid input. zod stays the contract,
 * but it builds a copy of every object it accepts, with its issue bookkeeping: a sixth of the Kafka recorder
 * thread's CPU per event, and much of its garbage. A valid event passes this check and is used as it is (our
 * object schemas transform nothing, so zod's copy would equal it); anything else goes to zod for the problems.
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
  let min = 0;
  let max = Infinity;
  const patterns: RegExp[] = [];
  // A format schema (z.guid(), z.iso.date()) is its own first check.
  for (const check of checksOf(def)) {
    if (check.check === 'min_length') min = Math.max(min, check.minimum!);
    else if (check.check === 'max_length') max = Math.min(max, check.maximum!);
    else if (check.check === 'string_format' && PATTERN_FORMATS.has(check.format!) && check.pattern) patterns.push(check.pattern);
    else throw unsupported(check.check === 'string_format' ? `string format "${check.format}"` : `string check "${check.check}"`);
  }
  return (value) => {
    if (typeof value !== 'string' || value.length < min || value.length > max) return false;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      if (!pattern.test(value)) return false;
    }
    return true;
  };
}

function compileNumber(def: Def): ShapeCheck {
  const tests = checksOf(def).map((check): ((n: number) => boolean) => {
    if (check.check === 'number_format' && check.format === 'safeint') return Number.isSafeInteger;
    if (check.check === 'greater_than') return check.inclusive ? (n) => n >= check.value! : (n) => n > check.value!;
    if (check.check === 'less_than') return check.inclusive ? (n) => n <= check.value! : (n) => n < check.value!;
    throw unsupported(`number check "${check.format ?? check.check}"`);
  });
  return (value) => typeof value === 'number' && Number.isFinite(value) && tests.every((test) => test(value));
}

function compileArray(def: Def): ShapeCheck {
  const element = compileShapeCheck(def.element!);
  let min = 0;
  let max = Infinity;
  for (const check of checksOf(def)) {
    if (check.check === 'min_length') min = Math.max(min, check.minimum!);
    else if (check.check === 'max_length') max = Math.min(max, check.maximum!);
    else throw unsupported(`array check "${check.check}"`);
  }
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return false;
    for (const item of value) if (!element(item)) return false;
    return true;
  };
}

function compileObject(def: Def): ShapeCheck {
  const keys = Object.keys(def.shape!);
  const checks = keys.map((key) => compileShapeCheck(def.shape![key]!));
  const catchall = def.catchall ? (def.catchall._zod.def as unknown as Def).type : 'strip';
  // zod's default object drops unknown keys, so its output would differ from the input: not supported.
  if (catchall !== 'unknown' && catchall !== 'never') throw unsupported(`object with catchall "${catchall}"`);
  const strict = catchall === 'never';
  const known = new Set(keys);
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const object = value as Record<string, unknown>;
    for (let i = 0; i < keys.length; i++) if (!checks[i]!(object[keys[i]!])) return false;
    if (strict) for (const key in object) if (!known.has(key)) return false;
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
