/**
 * Warning levels, most severe first, as in the PRC's four-colour warning scheme (一级/红色 … 四级/蓝色).
 * The ministry maintains which indicator raises which level (seed 002, 第三十三条) — see rules.ts.
 */
export const WARNING_LEVELS = ['red', 'orange', 'yellow', 'blue'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export const WARNING_LEVEL_LABELS_ZH: Record<WarningLevel, string> = {
  red: '一级（红色）',
  orange: '二级（橙色）',
  yellow: '三级（黄色）',
  blue: '四级（蓝色）',
};

/** Higher is more severe. */
export function severity(level: WarningLevel): number {
  return WARNING_LEVELS.length - WARNING_LEVELS.indexOf(level);
}

export function isWarningLevel(value: unknown): value is WarningLevel {
  return typeof value === 'string' && (WARNING_LEVELS as readonly string[]).includes(value);
}
