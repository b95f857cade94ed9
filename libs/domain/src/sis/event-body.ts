import type { InputProblem } from './sis-change.js';

/** One event at most this big: SS12000 objects are small, except a group's members (5,000 fit well inside). */
export const MAX_EVENT_BYTES = 256 * 1024;

/** SS12000 objects nest about 5 deep; far deeper JSON parses fine but overflows the stack of whoever stringifies it next. */
export const MAX_JSON_DEPTH = 32;

export type BodyResult = { ok: true; value: unknown } | { ok: false; problems: InputProblem[] };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes or text → a JSON value, bounded in size. An empty body is `undefined` (a binary-mode delete). */
export function readJsonBody(raw: string | Uint8Array): BodyResult {
  const bytes = typeof raw === 'string' ? utf8Length(raw) : raw.byteLength;
  if (bytes > MAX_EVENT_BYTES) return tooLarge(bytes);
  let text: string;
  try {
    text = typeof raw === 'string' ? raw : utf8.decode(raw);
  } catch {
    return bodyProblem('is not valid UTF-8 text');
  }
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: true, value: undefined };
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
  const bytes = json === undefined ? 0 : utf8Length(json);
  return bytes > MAX_EVENT_BYTES ? tooLarge(bytes) : { ok: true, value };
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

/** Iterative, so the check itself cannot overflow the stack; a cycle is endlessly deep, so it fails too. */
function withinDepth(root: unknown): boolean {
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSON_DEPTH) return false;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
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
