/**
 * Tokenizer of DynamoDB's PartiQL dialect. Differs from the expression lexer (../expressions/lexer.ts)
 * in what PartiQL has and expressions lack: 'string' literals ('' escapes a quote), "quoted"
 * identifiers ("" escapes a quote), decimal numbers, ? parameters, documents { }, bags << >>.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.data-types.html
 */
import { validation } from '../errors';

export type PqlTokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'eof';

export interface PqlToken {
  kind: PqlTokenKind;
  /** ident: as written; quoted/string: the unescaped content; punct: the symbol. */
  text: string;
  start: number;
  end: number;
}

const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

const TWO_CHAR = new Set(['<>', '!=', '<=', '>=', '<<', '>>']);
const ONE_CHAR = new Set(['(', ')', '[', ']', '{', '}', '.', ',', ':', '=', '<', '>', '+', '-', '*']);

/** DynamoDB's words for a statement it cannot read (ql-reference error handling). */
export function notWellFormed(detail: string): Error {
  return validation("Statement wasn't well formed, can't be processed: " + detail);
}

function quoted(text: string, start: number, quote: string): { value: string; end: number } {
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= text.length) throw notWellFormed(`unterminated ${quote === "'" ? 'string literal' : 'quoted identifier'} at offset ${start}`);
    const c = text[i] as string;
    if (c === quote) {
      if (text[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}

export function tokenizePartiql(text: string): PqlToken[] {
  const out: PqlToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    // A comment would let a spliced value hide the rest of a statement: DynamoDB's dialect has none.
    const start = i;
    if (isAlpha(c)) {
      while (i < text.length && (isAlpha(text[i] as string) || isDigit(text[i] as string))) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text[i] as string)) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < text.length && isDigit(text[i] as string)) i++;
      }
      if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1] ?? '') || ((text[i + 1] === '+' || text[i + 1] === '-') && isDigit(text[i + 2] ?? '')))) {
        i += 2;
        while (i < text.length && isDigit(text[i] as string)) i++;
      }
      out.push({ kind: 'number', text: text.slice(start, i), start, end: i });
    } else if (c === "'" || c === '"') {
      const q = quoted(text, i, c);
      i = q.end;
      out.push({ kind: c === "'" ? 'string' : 'quoted', text: q.value, start, end: i });
    } else if (c === '?') {
      i++;
      out.push({ kind: 'param', text: '?', start, end: i });
    } else if (TWO_CHAR.has(text.slice(i, i + 2))) {
      i += 2;
      out.push({ kind: 'punct', text: text.slice(start, i), start, end: i });
    } else if (ONE_CHAR.has(c)) {
      i++;
      out.push({ kind: 'punct', text: c, start, end: i });
    } else {
      throw notWellFormed(`unexpected character ${JSON.stringify(c)} at offset ${start}`);
    }
  }
  out.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return out;
}
