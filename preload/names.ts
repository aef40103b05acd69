/**
 * Names as people will see them (runtime: anywhere, pure): camera, preset, kiosk and alert texts that
 * came from a file, a backend or a form. Applied where a name enters (the contract's schemas and the
 * catalog import), so main, its files and every screen hold the same cleaned name:
 * - bidi controls (U+202A-202E, U+2066-2069, LRM, RLM, ALM) are taken out: they would reorder the text
 *   around the name on screen, or make one camera's name look like another's;
 * - invisible characters (zero-width space, joiners, word joiner, BOM, soft hyphen, Mongolian vowel
 *   separator) are taken out: they make two different names look the same (an emoji joined with ZWJ
 *   falls apart into its parts: a price worth paying in camera and preset names);
 * - other control characters and runs of white space become one space; the name is trimmed and NFC;
 * - a name longer than `max` characters (user-perceived characters, not UTF-16 units) is cut there,
 *   ending in "…".
 * HTML in a name stays as typed: every screen renders names as text, never as markup.
 */
const INVISIBLE = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060-\u2064\ufeff\u00ad\u180e]/g;
const CONTROL_OR_SPACE = /[\u0000-\u001f\u007f-\u009f\s]+/g;

const graphemes = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

export function cleanName(raw: string, max: number): string {
  const text = raw.normalize('NFC').replace(INVISIBLE, '').replace(CONTROL_OR_SPACE, ' ').trim();
  if (text.length <= max) return text;
  const parts = graphemes ? Array.from(graphemes.segment(text), (s) => s.segment) : Array.from(text);
  return parts.length <= max
    ? text
    : `${parts
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}
