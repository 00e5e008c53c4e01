import * as fs from 'node:fs';

/** A font file pdfkit can embed (subset) and, for a collection (.ttc), the face to take from it. */
export interface CjkFont {
  file: string;
  face?: string;
}

/**
 * Fonts from Debian packages, in order of preference. Both are free: Noto Sans CJK (fonts-noto-cjk, SIL Open
 * Font License 1.1) and WenQuanYi Micro Hei (fonts-wqy-microhei, Apache-2.0 / GPLv3). `.ci/run` installs
 * fonts-noto-cjk (web/scripts/install-system-packages.sh). No npm package ships a full CJK font as a single
 * TTF/OTF that pdfkit could read (web font packages split it by unicode-range into woff2 slices).
 */
const CANDIDATES: CjkFont[] = [
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' },
  { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', face: 'WenQuanYiZenHei' },
];

/** LABEL_FONT_FILE (+ LABEL_FONT_FACE for a .ttc) wins; else the first installed candidate; else null. */
export function findCjkFont(env: NodeJS.ProcessEnv = process.env, exists: (f: string) => boolean = fs.existsSync): CjkFont | null {
  if (env.LABEL_FONT_FILE) return exists(env.LABEL_FONT_FILE) ? { file: env.LABEL_FONT_FILE, ...(env.LABEL_FONT_FACE ? { face: env.LABEL_FONT_FACE } : {}) } : null;
  return CANDIDATES.find((c) => exists(c.file)) ?? null;
}

export const FONT_HELP = 'No CJK font to embed in the PDF: install one (apt-get install fonts-noto-cjk) or set LABEL_FONT_FILE';
