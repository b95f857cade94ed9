import type { InputProblem } from './sis-change.js';

/** One event at most this big: SS12000 objects are small, except a group's members (5,000 fit well inside). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** SS12000 objects nest about 5 deep; far deeper JSON parses fine but overflows the stack of whoever stringifies it next. */
export const MAX_JSON_DEPTH = 32;

export type BodyResult = { ok: true; value: unknown } | { ok: false; problems: InputProblem[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes or text → a JSON value, bounded in size. An empty body is `undefined` (a binary-mode delete). */
export function readJsonBody(raw: string | Uint8Array): BodyResult {
  if (typeof raw === 'string' ? overBound(raw) : raw.byteLength > MAX_EVENT_BYTES) {
    return tooLarge(typeof raw === 'string' ? utf8Length(raw) : raw.byteLength);
  }
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    return bodyProblem('is not valid UTF-8 text');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Only blanks (what trim() removes): stops at the first other character instead of copying the text.
  if (!/\S/.test(text)) return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return bodyProblem(`not valid JSON: ${describeJsonError(error)}`);
  }
  return withinDepth(value) ? { ok: true, value } : tooDeep();
}

/** An already-parsed value still gets the size bound, measured as the JSON it came from. */
export function checkParsedSize(value: unknown): BodyResult {
  if (!withinDepth(value)) return tooDeep();
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return bodyProblem('must be plain JSON data');
  }
  return json !== undefined && overBound(json) ? tooLarge(utf8Length(json)) : { ok: true, value };
}

/** V8's messages quote the input ("Unexpected token 'x', \"…\" is not valid JSON"): keep only where it broke. */
function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/end of (JSON )?input/i.test(message) || /Unterminated string/i.test(message)) {
    return 'the text ends before the JSON value is complete';
  }
  const position = /position (\d+)/.exec(message);
  return position ? `syntax error at character ${position[1]}` : 'syntax error';
}

/** A UTF-16 unit is at most 3 UTF-8 bytes: most bodies are within the bound without counting. */
function overBound(text: string): boolean {
  return text.length * 3 > MAX_EVENT_BYTES && utf8Length(text) > MAX_EVENT_BYTES;
}

function utf8Length(text: string): number {
  // Counted, not encoded: an oversized body must not cost a second copy of itself.
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Recursion stops at the bound, so the check itself cannot overflow the stack; a cycle is endlessly deep, so it
 * fails too. Plain loops: it runs on every event, and a callback per array allocated more than JSON.parse did.
 */
function withinDepth(value: unknown, depth = 1): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!withinDepth(value[i], depth + 1)) return false;
    return true;
  }
  for (const key in value) if (!withinDepth((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

function tooDeep(): BodyResult {
  return bodyProblem(`nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`);
}

function tooLarge(bytes: number): BodyResult {
  return bodyProblem(`is ${bytes} bytes; an event may be at most ${MAX_EVENT_BYTES} bytes (256 KiB)`);
}

function bodyProblem(reason: string): BodyResult {
  return { ok: false, problems: [{ field: '(body)', reason }] };
}
