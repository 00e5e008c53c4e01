import * as fs from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The report's CJK font, parsed once per process and laid out without running OpenType shaping where shaping
 * provably changes nothing. Two costs dominated the PDF (docs/decisions/0014-trace-reports.md, Performance):
 *
 * 1. pdfkit re-reads and re-parses the 20 MB Noto CJK collection for every document (`registerFont(path)`),
 *    and decodes its GSUB/GPOS tables again on the first layout. pdfkit also accepts an already parsed fontkit
 *    font, so we parse once and hand the same object to every document.
 * 2. pdfkit lays out every distinct word through fontkit's full shaping engine (GSUB, GPOS): ≈ 300 µs a word
 *    on Noto CJK (linear coverage scans over 52 GSUB lookups), ≈ 10,000 table cells a report. For a CJK name,
 *    a phone number or a date the result is the cmap's glyphs at their advance widths; for a trace code it is
 *    the same after Noto's Latin `locl` swaps the digits and "R-" is kerned. So a word skips the engine when,
 *    for its script, the only lookups that can start at its glyphs are plain single substitutions and plain
 *    x-advance kerning pairs, which `shapingReach` applies exactly as fontkit does; anything else goes through
 *    fontkit. Either way the glyphs, code points and positions are the ones fontkit would give
 *    (tests/unit/application/reports/report-font.spec.ts compares them).
 *
 * fontkit is pdfkit's own dependency; it is loaded through pdfkit so both use the same copy.
 */

/** The parts of a fontkit glyph, run and font this module uses (fontkit ships no types). */
interface Glyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}
interface Coverage {
  version: 1 | 2;
  glyphs?: number[];
  rangeRecords?: { start: number; end: number }[];
}
interface SubTable {
  version?: number;
  lookupType?: number;
  extension?: SubTable;
  coverage?: Coverage;
  coverages?: Coverage[];
  inputCoverage?: Coverage[];
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  deltaGlyphID?: number;
  substitute?: { get(i: number): number };
  /** GSUB type 4: per covered glyph (coverage order), the ligatures that start with it. */
  ligatureSets?: { get(i: number): Iterable<{ glyph: number; components: Iterable<number> }> };
  backtrackCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
  pairSets?: { get(i: number): { secondGlyph: number; value1?: PairValue; value2?: PairValue }[] };
  classDef1?: ClassDef;
  classDef2?: ClassDef;
  classRecords?: { get(i: number): { get(j: number): { value1?: PairValue; value2?: PairValue } } };
}
interface PairValue {
  xAdvance?: number;
  yAdvance?: number;
  xPlacement?: number;
  yPlacement?: number;
  xPlaDevice?: unknown;
  yPlaDevice?: unknown;
  xAdvDevice?: unknown;
  yAdvDevice?: unknown;
}
interface LayoutTable {
  scriptList: { tag: string; script: { defaultLangSys: LangSys | null } }[];
  featureList: { tag: string; feature: { lookupListIndexes: number[] } }[];
  lookupList: { get(i: number): { lookupType: number; flags?: { flags?: { ignoreBaseGlyphs?: boolean; ignoreLigatures?: boolean } }; subTables: SubTable[] } };
  featureVariations?: unknown;
}
interface LangSys {
  featureIndexes: number[];
}
export interface FontkitFont {
  layout(text: string, features?: unknown, ...rest: unknown[]): { glyphs: Glyph[]; positions: Position[]; advanceWidth: number };
  glyphsForString(text: string): Glyph[];
  getGlyph(id: number, codePoints?: number[]): Glyph;
  GSUB?: LayoutTable;
  GPOS?: LayoutTable;
  GDEF?: { glyphClassDef?: ClassDef };
  morx?: unknown;
  kern?: unknown;
  _glyphs?: Record<number, Glyph>;
}
interface ClassDef {
  version: 1 | 2;
  startGlyph?: number;
  classValueArray?: number[];
  classRangeRecord?: { start: number; end: number; class: number }[];
}
interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

const fromPdfkit = createRequire(require.resolve('pdfkit'));
const fontkit = fromPdfkit('fontkit') as { create(buffer: Buffer, postscriptName?: string): FontkitFont };
/** fontkit's own Unicode data, so script detection agrees with its layout engine. */
const unicode = createRequire(fromPdfkit.resolve('fontkit'))('unicode-properties') as { getScript(codePoint: number): string };

/**
 * Every feature fontkit's default shaper may apply to a left-to-right run (fontkit 2 DefaultShaper: variation,
 * directional, fractional, common and horizontal features). Scripts with their own shapers (Arabic, Hangul,
 * Indic, USE) never take the fast path: `plainText` only admits Latin, CJK and common punctuation.
 */
const LOCAL_FEATURES = new Set(['frac', 'numr', 'dnom']);
const DEFAULT_FEATURES = new Set(['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern']);

/**
 * Code points whose run fontkit lays out with the default shaper, left to right, with no mark handling and no
 * default-ignorable hiding: printable ASCII and Latin-1 (not the soft hyphen), general punctuation (not the
 * invisible format characters U+200B–U+200F, U+202A–U+202E, U+2060 on, nor the fraction slash U+2044), CJK symbols
 * and punctuation, kana (not the combining sound marks U+3099–U+309A), CJK ideographs (extension A and the
 * unified block) and the fullwidth ASCII forms.
 */
const PLAIN = /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u00ff\u2010-\u2027\u2030-\u2043\u2045-\u205e\u3000-\u3029\u3030-\u303f\u3041-\u3096\u309b-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e\uffe0-\uffe6]*$/;

/** fontkit's fallback when the font has no entry for a run's script (GlyphProcessor.selectScript). */
const DEFAULT_SCRIPTS = ['DFLT', 'dflt', 'latn'];
/** fontkit's script tags (Script.forString) for the scripts `PLAIN` admits; any other script is shaped. */
const SCRIPT_TAGS: Record<string, string> = { Latin: 'latn', Han: 'hani', Hiragana: 'hira', Katakana: 'kana' };

/** The script tag fontkit detects for a run: that of its first character not Common, Inherited or Unknown. */
function scriptOf(text: string): string | null {
  for (const ch of text) {
    const script = unicode.getScript(ch.codePointAt(0)!);
    if (script === 'Common' || script === 'Inherited' || script === 'Unknown') continue;
    return SCRIPT_TAGS[script] ?? null;
  }
  return 'zzzz';
}

/** What shaping a run of one script may do: lookups that may start at a glyph, and pair adjustments. */
interface ShapingReach {
  /**
   * The glyph ids after GSUB, or null when some lookup that is not a plain single substitution may start (then
   * only fontkit knows the answer). Single substitutions (Noto's `locl` digits in a Latin run) are applied here
   * exactly as fontkit does: lookups in index order, each over the whole run, the first covering subtable wins.
   */
  substitute(ids: number[]): number[] | null;
  /** True when some GPOS lookup other than pair positioning may start at `ids[i]`, or `ids[i]` is a mark. */
  mayPosition(ids: number[], i: number): boolean;
  /**
   * The x-advance adjustments pair positioning (kerning) gives each glyph, as fontkit applies them: pair lookups
   * in index order, at each glyph the first subtable that matches the pair decides; null when an adjustment is
   * anything but a plain x-advance (placements, y, device tables), which only fontkit then positions.
   */
  kerning(ids: number[]): number[] | null;
}

/** One GSUB lookup as fontkit will run it over a run: where it may start, and its subtables if it only swaps single glyphs. */
interface GsubLookup {
  starts: Map<number, true | ChainContext[]>;
  single: SubTable[] | null;
}

/** A chaining contextual subtable (format 3): it fires only with enough glyphs around, each in its coverage. */
interface ChainContext {
  backtrack: Coverage[];
  input: Coverage[];
  lookahead: Coverage[];
}

/**
 * For a run of script `tag`: in GSUB and in GPOS, the script entry fontkit selects for it and that entry's default
 * language system (the fast path only serves calls that name no language — pdfkit never does — so fontkit uses
 * the default one), and every lookup of a default feature there. A lookup starts at the current glyph only if it
 * is in the subtable's first coverage (fontkit's applyLookup); when no lookup can start at any glyph of a run,
 * no glyph changes, so nothing can start later either. Two refinements keep common words on the fast path, both
 * necessary conditions of fontkit's own matching: a chaining context (format 3) needs its backtrack and lookahead
 * glyphs (Noto's `calt` starts at every space, but a space that ends pdfkit's word has nothing after it), and
 * pair positioning is judged pair by pair (kerning covers most Latin glyphs, but a digit, hyphen or colon pair
 * carries no adjustment).
 */
function shapingReach(font: FontkitFont, tag: string): ShapingReach | null {
  /** GPOS, per glyph: `true` when some subtable may start there unconditionally, else the chaining contexts that may. */
  const gposStarts = new Map<number, true | ChainContext[]>();
  const gsubLookups: GsubLookup[] = [];
  /** Pair positioning subtables, grouped by lookup: in a lookup, the first subtable that matches a pair decides. */
  const pairLookups: SubTable[][] = [];
  let pairTables: SubTable[] = [];
  const glyphsOf = (c: Coverage | undefined): number[] => {
    if (!c) return [];
    if (c.version === 1) return c.glyphs ?? [];
    const out: number[] = [];
    for (const r of c.rangeRecords ?? []) for (let g = r.start; g <= r.end; g++) out.push(g);
    return out;
  };
  const addCoverage = (starts: Map<number, true | ChainContext[]>, c: Coverage | undefined) => {
    for (const g of glyphsOf(c)) starts.set(g, true);
  };
  const addChain = (starts: Map<number, true | ChainContext[]>, chain: ChainContext) => {
    for (const g of glyphsOf(chain.input[0])) {
      const known = starts.get(g);
      if (known === true) continue;
      if (known) known.push(chain);
      else starts.set(g, [chain]);
    }
  };
  const addLigatures = (starts: Map<number, true | ChainContext[]>, t: SubTable) => {
    const c = t.coverage;
    if (!c) return;
    // The set of a covered glyph is at its coverage index (format 2: the range's startCoverageIndex onward).
    const covered: [number, number][] = c.version === 1 ? (c.glyphs ?? []).map((g, i) => [g, i]) : [];
    if (c.version === 2) for (const r of (c.rangeRecords ?? []) as { start: number; end: number; startCoverageIndex: number }[]) for (let g = r.start; g <= r.end; g++) covered.push([g, r.startCoverageIndex + g - r.start]);
    covered.forEach(([first, k]) => {
      for (const ligature of t.ligatureSets!.get(k)) {
        const input = [first, ...ligature.components].map((g): Coverage => ({ version: 1, glyphs: [g] }));
        addChain(starts, { backtrack: [], input, lookahead: [] });
      }
    });
  };
  /** Adds where subtable `t` may start to `starts`; returns the subtable itself when it is a single substitution. */
  const addSubTable = (starts: Map<number, true | ChainContext[]>, t: SubTable, lookupType: number, plainAdjacency: boolean, gpos: boolean): SubTable | null => {
    if (lookupType === (gpos ? 9 : 7) && t.extension) return addSubTable(starts, t.extension, t.lookupType ?? 0, plainAdjacency, gpos);
    if (lookupType === (gpos ? 7 : 5) && t.version === 3) return addCoverage(starts, t.coverages?.[0]), null;
    if (lookupType === (gpos ? 8 : 6) && t.version === 3 && plainAdjacency) return addChain(starts, { backtrack: t.backtrackCoverage ?? [], input: t.inputCoverage ?? [], lookahead: t.lookaheadCoverage ?? [] }), null;
    if (lookupType === (gpos ? 8 : 6) && t.version === 3) return addCoverage(starts, t.inputCoverage?.[0]), null;
    // A ligature (GSUB type 4) fires only when the glyphs after the first are its components, adjacent on the
    // fast path (no marks; fontkit's sequenceMatchIndices): each ligature is a context of single-glyph coverages.
    // Noto CJK's `ccmp` covers "M" (M + two rare glyphs), which sent every trace code holding an M to fontkit.
    if (!gpos && lookupType === 4 && plainAdjacency && t.ligatureSets) return addLigatures(starts, t), null;
    if (gpos && (lookupType === 4 || lookupType === 5)) return addCoverage(starts, t.markCoverage), null;
    if (gpos && lookupType === 6) return addCoverage(starts, t.mark1Coverage), null;
    if (gpos && lookupType === 2 && plainAdjacency && (t.version === 1 || t.version === 2)) return pairTables.push(t), null;
    addCoverage(starts, t.coverage);
    return !gpos && lookupType === 1 && (t.version === 1 || t.version === 2) ? t : null;
  };
  for (const [table, gpos] of [[font.GSUB, false], [font.GPOS, true]] as const) {
    if (!table) continue;
    // Feature variations can swap a feature's lookups at run time: no static answer, no fast path.
    if (table.featureVariations) return null;
    const entry = table.scriptList?.find((e) => e.tag === tag) ?? DEFAULT_SCRIPTS.map((d) => table.scriptList?.find((e) => e.tag === d)).find(Boolean);
    // fontkit: a tag → feature table (the last record of a tag wins), the lookups of the plan's features in index
    // order, a lookup listed by two features run twice. The local features (frac, numr, dnom) only apply next to
    // a fraction slash, which never takes the fast path.
    const features = new Map<string, number[]>();
    for (const i of entry?.script.defaultLangSys?.featureIndexes ?? []) {
      const record = table.featureList[i];
      if (record && DEFAULT_FEATURES.has(record.tag) && !LOCAL_FEATURES.has(record.tag)) features.set(record.tag, record.feature.lookupListIndexes);
    }
    const order = [...features.values()].flat().sort((a, b) => a - b);
    for (const l of order) {
      const lookup = table.lookupList.get(l);
      // Runs on the fast path have no marks, so a lookup's neighbours are the adjacent glyphs and every glyph is
      // visited, unless it skips base glyphs or ligatures; such lookups count as starting wherever they cover.
      const skips = lookup.flags?.flags;
      const plainAdjacency = !skips?.ignoreBaseGlyphs && !skips?.ignoreLigatures;
      const starts = gpos ? gposStarts : new Map<number, true | ChainContext[]>();
      pairTables = [];
      const singles = lookup.subTables.map((t) => addSubTable(starts, t, lookup.lookupType, plainAdjacency, gpos));
      if (pairTables.length > 0) pairLookups.push(pairTables);
      if (!gpos) gsubLookups.push({ starts, single: plainAdjacency && singles.every(Boolean) ? (singles as SubTable[]) : null });
    }
  }
  // Mark glyphs (GDEF class 3) lose their advance after positioning even when no lookup applies.
  const classes = font.GDEF?.glyphClassDef;
  if (classes?.version === 1) classes.classValueArray?.forEach((c, i) => c === 3 && gposStarts.set((classes.startGlyph ?? 0) + i, true));
  else if (classes?.version === 2) for (const r of classes.classRangeRecord ?? []) if (r.class === 3) for (let g = r.start; g <= r.end; g++) gposStarts.set(g, true);

  const coverageIndex = new Map<Coverage, Map<number, number>>();
  const indexIn = (c: Coverage, g: number): number => {
    let m = coverageIndex.get(c);
    if (!m) {
      m = new Map();
      if (c.version === 1) (c.glyphs ?? []).forEach((x, i) => m!.set(x, i));
      else for (const r of (c.rangeRecords ?? []) as { start: number; end: number; startCoverageIndex: number }[]) for (let x = r.start; x <= r.end; x++) m.set(x, r.startCoverageIndex + x - r.start);
      coverageIndex.set(c, m);
    }
    return m.get(g) ?? -1;
  };
  const plainX = (v: PairValue | undefined) => !v || (!v.yAdvance && !v.xPlacement && !v.yPlacement && !v.xPlaDevice && !v.yPlaDevice && !v.xAdvDevice && !v.yAdvDevice);
  const known = new Map<number, [number, number] | null>();
  /** The x-advance adjustments of `first` and `second` by one pair lookup; null for a non-plain adjustment. */
  const pairIn = (lookup: SubTable[], first: number, second: number): [number, number] | null => {
    for (const t of lookup) {
      // fontkit's GPOS type 2: format 1 matches when the pair is listed, format 2 whenever the first glyph is covered.
      const index = indexIn(t.coverage!, first);
      if (index === -1) continue;
      const pair = t.version === 1 ? t.pairSets!.get(index).find((p) => p.secondGlyph === second) : t.classRecords!.get(classOf(first, t.classDef1!)).get(classOf(second, t.classDef2!));
      if (!pair) continue;
      return plainX(pair.value1) && plainX(pair.value2) ? [pair.value1?.xAdvance ?? 0, pair.value2?.xAdvance ?? 0] : null;
    }
    return [0, 0];
  };
  const kerning = (ids: number[]): number[] | null => {
    const dx = ids.map(() => 0);
    for (let l = 0; l < pairLookups.length; l++) {
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = (l * 65536 + ids[i]!) * 65536 + ids[i + 1]!;
        let pair = known.get(key);
        if (pair === undefined) known.set(key, (pair = pairIn(pairLookups[l]!, ids[i]!, ids[i + 1]!)));
        if (!pair) return null;
        dx[i] += pair[0];
        dx[i + 1] += pair[1];
      }
    }
    return dx;
  };
  const covers = (c: Coverage, g: number | undefined) => g !== undefined && indexIn(c, g) !== -1;
  // fontkit matches backtrack[k] at i - n + k, input[k] at i + k, lookahead[k] at i + inputs + k (GlyphProcessor.match).
  const chainMatches = (chain: ChainContext, ids: number[], i: number) =>
    chain.backtrack.every((c, k) => covers(c, ids[i - chain.backtrack.length + k])) && chain.input.every((c, k) => covers(c, ids[i + k])) && chain.lookahead.every((c, k) => covers(c, ids[i + chain.input.length + k]));
  const startsAt = (starts: Map<number, true | ChainContext[]>, ids: number[], i: number) => {
    const at = starts.get(ids[i]!);
    return at === true || (!!at && at.some((chain) => chainMatches(chain, ids, i)));
  };
  const substitute = (input: number[]): number[] | null => {
    let ids = input;
    for (const lookup of gsubLookups) {
      for (let i = 0; i < ids.length; i++) {
        if (!startsAt(lookup.starts, ids, i)) continue;
        if (!lookup.single) return null;
        // fontkit's GSUB lookup type 1: the first subtable covering the glyph replaces it.
        for (const t of lookup.single) {
          const index = indexIn(t.coverage!, ids[i]!);
          if (index === -1) continue;
          if (ids === input) ids = [...input];
          ids[i] = t.version === 1 ? (ids[i]! + (t.deltaGlyphID ?? 0)) & 0xffff : t.substitute!.get(index);
          break;
        }
      }
    }
    return ids;
  };
  return { substitute, mayPosition: (ids, i) => startsAt(gposStarts, ids, i), kerning };
}

/** fontkit's getClassID: the class of a glyph, 0 when the definition does not name it. */
function classOf(glyph: number, def: ClassDef): number {
  if (def.version === 1) {
    const i = glyph - (def.startGlyph ?? 0);
    return i >= 0 && i < (def.classValueArray?.length ?? 0) ? def.classValueArray![i]! : 0;
  }
  for (const r of def.classRangeRecord ?? []) if (r.start <= glyph && glyph <= r.end) return r.class;
  return 0;
}

/** fontkit's GlyphRun, as far as pdfkit reads it: pdfkit scales `positions` in place, then reads `advanceWidth`. */
class PlainRun {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: Position[],
  ) {}
  get advanceWidth(): number {
    let width = 0;
    for (const p of this.positions) width += p.xAdvance;
    return width;
  }
}

/** A text the fast path lays out: code points, their cmap glyphs, the glyphs after substitution, kerning. */
interface PlainShape {
  codePoints: number[];
  cmapped: number[];
  ids: number[];
  dx: number[];
}

/** Texts whose fast-path analysis is kept (a 1,000-lot report has ≈ 15,000 distinct words). */
const MAX_SHAPES = 200_000;

/** The font with `layout` taking the fast path where shaping cannot apply; everything else is fontkit's. */
function withPlainLayout(font: FontkitFont): FontkitFont {
  // AAT (morx) fonts and the old TrueType kern table have their own processors: always shape those.
  if (font.morx || font.kern) return font;
  const reachByScript = new Map<string, ShapingReach | null>();
  /**
   * What the fast path found for a text, kept for the process: the cmap's glyph per code point, the glyphs after
   * substitution and the kerning; null when the text needs fontkit. A report repeats most of its words from the
   * previous one (the same chain), and the analysis (cmap lookups through restructure, substitution, kerning)
   * was most of the layout's time. Glyph objects are not kept: each call takes them from the font's per-report
   * glyph table, as fontkit's glyphsForString would, so the code points a glyph carries still depend on this
   * report only.
   */
  const shapes = new Map<string, PlainShape | null>();
  const analyse = (text: string): PlainShape | null => {
    const script = PLAIN.test(text) ? scriptOf(text) : null;
    if (!script) return null;
    let reach = reachByScript.get(script);
    if (reach === undefined) reachByScript.set(script, (reach = shapingReach(font, script)));
    if (!reach) return null;
    const cmapped = font.glyphsForString(text);
    const ids = reach.substitute(cmapped.map((g) => g.id));
    if (!ids || ids.some((_, i) => reach.mayPosition(ids, i))) return null;
    const dx = reach.kerning(ids);
    if (!dx) return null;
    return { codePoints: Array.from(text, (ch) => ch.codePointAt(0)!), cmapped: cmapped.map((g) => g.id), ids, dx };
  };
  /** The glyphs of `text` and their x-advances when shaping is provably only what `reach` models, else null. */
  const plainLayout = (text: string): PlainRun | null => {
    let shape = shapes.get(text);
    if (shape === undefined) {
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      shapes.set(text, (shape = analyse(text)));
    }
    if (!shape) return null;
    const glyphs: Glyph[] = [];
    const positions: Position[] = [];
    for (let i = 0; i < shape.ids.length; i++) {
      // PLAIN has no variation selectors, so fontkit's glyphsForString is glyphForCodePoint per code point.
      const cmapped = font.getGlyph(shape.cmapped[i]!, [shape.codePoints[i]!]);
      // A substituted glyph keeps the code points of the one it replaced (fontkit's GlyphInfo → getGlyph).
      const glyph = shape.ids[i] === shape.cmapped[i] ? cmapped : font.getGlyph(shape.ids[i]!, [...cmapped.codePoints]);
      glyphs.push(glyph);
      positions.push({ xAdvance: glyph.advanceWidth + shape.dx[i]!, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return new PlainRun(glyphs, positions);
  };
  const layout = (text: string, features?: unknown, ...rest: unknown[]) => (features === undefined && rest.length === 0 ? plainLayout(text) : null) ?? font.layout(text, features, ...rest);
  const createSubset = () => memoisedSubset(font);
  const proxy = new Proxy(font, { get: (target, key) => (key === 'layout' ? layout : key === 'createSubset' ? createSubset : Reflect.get(target, key, target)) });
  fastPaths.set(proxy, (text) => plainLayout(text) !== null);
  return proxy;
}

const fastPaths = new WeakMap<FontkitFont, (text: string) => boolean>();

/** The parts of a fontkit subset pdfkit uses: the glyphs in subset order (`includeGlyph` appends) and `encode`. */
interface Subset {
  glyphs: number[];
  encode(): Buffer;
}

/** Encoded subsets by their glyph list, per font: the last few reports' (a report of the same chain has the same). */
const subsetBytes = new WeakMap<FontkitFont, Map<string, Buffer>>();
const SUBSETS_KEPT = 8;

/**
 * fontkit's subset of `font`, whose `encode` (CFF charstring subsetting, ≈ 0.1 s for a report's ≈ 1,500 CJK
 * glyphs) is done once per distinct glyph list: the bytes depend on nothing else (the font and the glyph ids in
 * subset order), and the same chain reported again lists the same glyphs in the same order.
 */
function memoisedSubset(font: FontkitFont): Subset {
  const subset = (font as unknown as { createSubset(): Subset }).createSubset();
  const encode = subset.encode.bind(subset);
  subset.encode = () => {
    let kept = subsetBytes.get(font);
    if (!kept) subsetBytes.set(font, (kept = new Map()));
    const key = subset.glyphs.join(',');
    let bytes = kept.get(key);
    if (!bytes) {
      bytes = encode();
      if (kept.size >= SUBSETS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(key, bytes);
    }
    return Buffer.from(bytes);
  };
  return subset;
}

/** Whether `font` (from `reportFont`) lays `text` out without shaping; for the specs, which check it agrees with fontkit. */
export function skipsShaping(font: FontkitFont, text: string): boolean {
  return fastPaths.get(font)?.(text) ?? false;
}

const cache = new Map<string, FontkitFont>();

/**
 * The parsed font for `file` (and `face` in a collection), shared by every report of the process. Each call
 * forgets the glyph objects fontkit remembered from earlier reports: a glyph keeps the code points it was first
 * looked up by (pdfkit writes them to the ToUnicode map), so without this a report's text layer could depend on
 * which reports came before it. pdfkit lays a document out synchronously, so two reports never interleave here.
 */
export function reportFont(file: string, face?: string): FontkitFont {
  const key = `${file}#${face ?? ''}`;
  let font = cache.get(key);
  if (!font) {
    font = withPlainLayout(fontkit.create(fs.readFileSync(file), face));
    cache.set(key, font);
  }
  if (font._glyphs) font._glyphs = {};
  return font;
}
