import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { reportFont, skipsShaping, type FontkitFont } from '../../../../application/reports/pdf/report-font';
import { findCjkFont } from '../../../../infrastructure/http/labels/cjk-font';

/**
 * The report font's fast path (layout without OpenType shaping) must give exactly what fontkit's shaping gives:
 * same glyphs, same code points, same positions. Compared word by word (as pdfkit splits text) against a fresh,
 * unwrapped fontkit font over the report's kinds of text and a seeded random corpus mixing Latin, digits,
 * punctuation, spaces, kana and CJK.
 */
const font = findCjkFont();
if (!font) console.warn('\n!!! SKIPPED report font fast path: no CJK font (apt-get install fonts-noto-cjk or set LABEL_FONT_FILE) !!!\n');

const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(b: Buffer, face?: string): FontkitFont };

/** pdfkit's word split (EmbeddedFont.layout): each word keeps the space or tab that ends it. */
const words = (text: string) => text.match(/[^ \t]*[ \t]|[^ \t]+$/g) ?? [];

function corpus(): { report: string[]; random: string[] } {
  const report = ['追溯查询报告', '海南省澄迈县农业合作社', '张三 13800001234', '李四 —', 'R-L000123-4567', 'F3-L88', '4690272609307KMQX0001ABCM', '110101261123MMXYZ0001WM8M', 'M\u0300', 'M\u0304', '26-10-01 12:30', '产 2026-10-01', '合格停', '不合格', '1234.5', '批次 1200 个 · 持有主体 300 家', '（北京时间）', '已落实 12 / 涉及 40 kg（30.0 %）', '……', 'sequence 3 · positions 1..40', 'AVAWTo Ta.', 'ﬁ office', 'ひらがな カタカナ ー', '１２３ＡＢＣ', '½ 1⁄2', 'e\u0301', 'a\u200bb', 'x\u00ady'];
  let seed = 12345;
  const random = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const alphabet = [...'0123456789-:./()ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz  ，。、：；（）【】“”—…·海南省广东北京市合作社农场批次追溯码ぁあアイー'];
  const random_ = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  return { report: report.flatMap(words), random: random_.flatMap(words) };
}

const shape = (run: ReturnType<FontkitFont['layout']>) => ({
  glyphs: run.glyphs.map((g) => [g.id, [...g.codePoints]]),
  positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
  advanceWidth: run.advanceWidth,
});

(font ? describe : describe.skip)('report font: layout without shaping where shaping changes nothing', () => {
  it('gives the glyphs, code points and positions fontkit gives, for every word of the corpus', () => {
    const fast = reportFont(font!.file, font!.face);
    const reference = fontkit.create(fs.readFileSync(font!.file), font!.face);
    const { report, random } = corpus();
    for (const word of [...report, ...random]) expect({ word, ...shape(fast.layout(word)) }).toEqual({ word, ...shape(reference.layout(word)) });
    // The point of it: most report words skip shaping (a regression to none would make the PDF slow again).
    expect(report.filter((w) => skipsShaping(fast, w)).length / report.length).toBeGreaterThan(0.5);
    expect(random.some((w) => skipsShaping(fast, w))).toBe(true);
  });

  it('leaves marks, invisible and fraction characters to fontkit, and models the rest of a report (single substitutions and kerning included)', () => {
    const fast = reportFont(font!.file, font!.face);
    for (const word of ['e\u0301', 'a\u200bb', '1\u20442', 'ﬁ']) expect(skipsShaping(fast, word)).toBe(false);
    // R-L000123: Noto's latn `locl` swaps the digits after a letter and "R-" is kerned; the corpus test checks the result.
    for (const word of ['海南省澄迈县农业合作社', '13800001234', '26-10-01 ', '12:30', '张三 ', 'R-L000123-4567']) expect(skipsShaping(fast, word)).toBe(true);
    // Real trace codes are Crockford base32: Noto's `ccmp` ligature lookup covers "M" (M + a combining mark), which
    // never fires without the mark, so a code holding an M skips shaping too; with the mark it is fontkit's.
    for (const word of ['4690272609307KMQX0001ABCM', 'MM']) expect(skipsShaping(fast, word)).toBe(true);
    expect(skipsShaping(fast, 'M\u0300')).toBe(false);
  });

  it('gives the same glyphs and positions from its kept analysis, in a later report as in the first', () => {
    const reference = fontkit.create(fs.readFileSync(font!.file), font!.face);
    const { report } = corpus();
    for (let pass = 0; pass < 2; pass++) {
      const fast = reportFont(font!.file, font!.face); // a new report: the glyph table starts empty
      expect(Object.keys(fast._glyphs ?? {})).toHaveLength(0);
      for (const word of report) expect({ pass, word, ...shape(fast.layout(word)) }).toEqual({ pass, word, ...shape(reference.layout(word)) });
    }
  });

  it('encodes a subset once per glyph list, and each subset gets its own copy of the bytes', () => {
    const fast = reportFont(font!.file, font!.face) as FontkitFont & { createSubset(): { includeGlyph(g: number): number; encode(): Buffer } };
    const reference = fontkit.create(fs.readFileSync(font!.file), font!.face) as unknown as { createSubset(): { includeGlyph(g: number): number; encode(): Buffer } };
    const ids = fast.glyphsForString('追溯查询报告 R-1').map((g) => g.id);
    const subset = () => {
      const s = fast.createSubset();
      for (const id of ids) s.includeGlyph(id);
      return s.encode();
    };
    const first = subset();
    const again = subset();
    const plain = reference.createSubset();
    for (const id of ids) plain.includeGlyph(id);
    expect(again.equals(first)).toBe(true);
    expect(first.equals(plain.encode())).toBe(true);
    again[0] ^= 0xff;
    expect(subset().equals(first)).toBe(true);
    const other = fast.createSubset();
    other.includeGlyph(ids[1]!);
    expect(other.encode().equals(first)).toBe(false);
  });

  it('parses the font once per process and starts each report with no remembered glyphs', () => {
    const a = reportFont(font!.file, font!.face);
    a.layout('追溯');
    const b = reportFont(font!.file, font!.face);
    expect(b).toBe(a);
    expect(Object.keys(b._glyphs ?? {})).toHaveLength(0);
  });
});
