import fc from 'fast-check';
import { NonEmpty, Text } from '../../../../infrastructure/http/shared-schemas';
import { textProblem } from '../../../../infrastructure/http/validation/text';

/** The one text rule of every free-text field (issue #11, finding 8): what it refuses, and what it keeps. */
describe('text fields', () => {
  const forbidden = fc.oneof(
    fc.integer({ min: 0x00, max: 0x08 }),
    fc.constantFrom(0x0b, 0x0c),
    fc.integer({ min: 0x0e, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.integer({ min: 0x202a, max: 0x202e }),
    fc.integer({ min: 0x2066, max: 0x2069 }),
    fc.integer({ min: 0xfdd0, max: 0xfdef }),
    fc.integer({ min: 0, max: 16 }).chain((plane) => fc.constantFrom(plane * 0x10000 + 0xfffe, plane * 0x10000 + 0xffff)),
  );
  const loneSurrogate = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff })).map((u) => String.fromCharCode(u));
  const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => textProblem(s) === null);

  it('refuses any text with a control character, bidi override or isolate, or noncharacter, wherever it sits', () => {
    fc.assert(
      fc.property(text, forbidden, text, (before, cp, after) => {
        const s = before + String.fromCodePoint(cp) + after;
        expect(textProblem(s)).not.toBeNull();
        expect(Text(500).safeParse(s).success).toBe(false);
      }),
    );
  });

  it('refuses a lone surrogate, but not a surrogate pair (an emoji, a rare CJK character)', () => {
    fc.assert(fc.property(text, loneSurrogate, (s, lone) => expect(textProblem(s + lone)).toMatch(/surrogate/)));
    expect(textProblem('😀𠀀')).toBeNull();
  });

  it('refuses strings of invisible characters only, and keeps zero-width joiners inside text', () => {
    const invisible = fc.array(fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', ' ', '\t', '\n'), { minLength: 1, maxLength: 10 });
    fc.assert(fc.property(invisible, (chars) => expect(NonEmpty(50).safeParse(chars.join('')).success).toBe(false)));
    expect(NonEmpty(50).parse('👨\u200D👩\u200D👧')).toBe('👨\u200D👩\u200D👧');
  });

  it('stores what it accepts NFC-normalised and trimmed, and parsing again changes nothing', () => {
    fc.assert(
      fc.property(text, (s) => {
        const parsed = Text(1000).safeParse(s);
        if (!parsed.success) return; // a string that only NFC makes too long or that trims to nothing
        expect(parsed.data).toBe(s.normalize('NFC').trim());
        expect(Text(1000).parse(parsed.data)).toBe(parsed.data);
      }),
    );
    expect(NonEmpty(20).parse('  Cafe\u0301 合作社 ')).toBe('Café 合作社');
  });

  it('keeps tabs and line breaks (notes have lines)', () => {
    expect(NonEmpty(50).parse('第一行\n第二行\tend')).toBe('第一行\n第二行\tend');
  });
});
