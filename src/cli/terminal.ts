/**
 * Text made safe to print to a terminal: every character a terminal would act on instead of
 * showing is written as a visible escape: C0 controls (ESC starts colour, cursor, title and erase
 * sequences; BEL, CR, backspace...), DEL, C1 controls (U+0080-U+009F, CSI and OSC among them) and
 * the bidirectional overrides and isolates that reorder what is shown (U+202A-U+202E,
 * U+2066-U+2069, U+200E, U+200F, U+061C). Newlines are kept only with `keepNewlines`.
 * Every CLI printer passes data (names from a model, a profile or a Workbench file) through it.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, newline included
const UNSAFE_WITH_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

export function terminalText(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNSAFE : UNSAFE_WITH_NEWLINE, visible);
}
