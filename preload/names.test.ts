import { describe, expect, it } from 'vitest';
import { cleanName } from './names';

describe('cleanName', () => {
  it('keeps HTML and script as typed (screens render names as text)', () => {
    expect(cleanName('<img src=x onerror=alert(1)> Kamera', 120)).toBe('<img src=x onerror=alert(1)> Kamera');
    expect(cleanName('<script>alert(1)</script>', 120)).toBe('<script>alert(1)</script>');
  });

  it('takes out bidi overrides and isolates, which would reorder the text around the name', () => {
    expect(cleanName('Pasar \u202Egnaroj\u202C Johar', 120)).toBe('Pasar gnaroj Johar');
    expect(cleanName('\u2067RT 03\u2069 \u200FCandi', 120)).toBe('RT 03 Candi');
  });

  it('takes out zero-width and invisible characters, which make two names look the same', () => {
    expect(cleanName('Si\u200Bmpang\u200D Li\uFEFFma\u2060\u00AD', 120)).toBe('Simpang Lima');
  });

  it('turns control characters and runs of white space into one space, and trims', () => {
    expect(cleanName('  Tugu\t\tMuda\n\r Semarang\u0007 ', 120)).toBe('Tugu Muda Semarang');
  });

  it('cuts a 10,000-character name to its limit, ending in an ellipsis', () => {
    const cut = cleanName('W'.repeat(10_000), 120);
    expect(Array.from(cut)).toHaveLength(120);
    expect(cut.endsWith('…')).toBe(true);
    expect(cleanName('Kamera Banjir', 120)).toBe('Kamera Banjir');
  });

  it('never cuts a character in half (emoji, combining marks)', () => {
    // A flag is two code points, a thumbs-up with a skin tone two more: each one character.
    expect(cleanName('🇮🇩'.repeat(50), 10)).toBe(`${'🇮🇩'.repeat(9)}…`);
    expect(cleanName('👍🏽'.repeat(50), 4)).toBe(`${'👍🏽'.repeat(3)}…`);
    expect(cleanName('e\u0301'.repeat(20), 5)).toBe(`${'é'.repeat(4)}…`);
  });

  it('leaves nothing of a name that was only invisible', () => {
    expect(cleanName('\u200B\u202E \u2066', 120)).toBe('');
  });
});
