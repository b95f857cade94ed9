import { parseSisInput } from './parse-sis-input.js';
import type { InputProblem, ParsedInput } from './sis-change.js';

/*
 * Files and HTTP bodies carry many events. They are split into one raw text per event BEFORE
 * any event is parsed, so a bad element, even one that is not JSON at all, refuses only itself.
 */

export interface NdjsonLine {
  /** 1-based, as an editor shows it. */
  line: number;
  text: string;
}

/** The non-blank lines of NDJSON text with their line numbers. */
export function* splitNdjson(text: string): Generator<NdjsonLine> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() !== '') yield { line: i + 1, text: line };
  }
}

/** One element of a batch: its raw text, or why the batch could not be cut there. */
export type SisBatchItem =
  | { index: number; line: number; raw: string }
  | { index: number; line: number; problems: InputProblem[] };

/** An HTTP body, a JSON array of events or NDJSON, → one item per event, in order. */
export function parseSisBatch(body: string): SisBatchItem[] {
  const text = body.replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) return splitJsonArray(text);
  return [...splitNdjson(text)].map(({ line, text: raw }, index) => ({ index, line, raw }));
}

/** Parses one batch item; its problems say nothing of its position, which the caller reports with it. */
export function parseSisBatchItem(item: SisBatchItem): ParsedInput {
  return 'raw' in item ? parseSisInput(item.raw) : { ok: false, problems: item.problems };
}

/**
 * Cuts a JSON array at its top-level commas without parsing the elements: only strings and
 * bracket depth are tracked, so a malformed element still ends at the next top-level comma.
 * An element with unbalanced brackets or an unclosed string swallows what follows it; NDJSON,
 * cut at newlines, is the form that isolates any bad line.
 */
function splitJsonArray(text: string): SisBatchItem[] {
  const items: SisBatchItem[] = [];
  let depth = 0;
  let inString = false;
  let start = text.indexOf('[') + 1;
  let startLine = lineAt(text, start);
  let line = startLine;
  const cut = (end: number) => {
    const raw = text.slice(start, end);
    const index = items.length;
    const at = startLine + leadingNewlines(raw);
    if (raw.trim() === '') items.push({ index, line: at, problems: [problem('is empty: a stray comma in the array?')] });
    else items.push({ index, line: at, raw: raw.trim() });
  };
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '\n') line++;
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if ((char === '}' || char === ']') && depth > 0) depth--;
    else if (char === ',' && depth === 0) {
      cut(i);
      start = i + 1;
      startLine = line;
    } else if (char === ']') {
      const isEmptyArray = items.length === 0 && text.slice(start, i).trim() === '';
      if (!isEmptyArray) cut(i);
      const rest = text.slice(i + 1);
      if (rest.trim() !== '') {
        items.push({
          index: items.length,
          line: line + leadingNewlines(rest),
          problems: [problem('text follows the closing ] of the array')],
        });
      }
      return items;
    }
  }
  const rest = text.slice(start);
  items.push({
    index: items.length,
    line: startLine + leadingNewlines(rest),
    problems: [problem('the body ends before the JSON array is closed with ]: this element may be cut off')],
  });
  return items;
}

function problem(reason: string): InputProblem {
  return { field: '(body)', reason };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') line++;
  return line;
}

function leadingNewlines(text: string): number {
  const leading = /^\s*/.exec(text)![0];
  return leading.split('\n').length - 1;
}
