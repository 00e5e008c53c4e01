import * as fs from 'node:fs';
import type { Page } from 'playwright-core';

/*
 * axe-core (npm, MPL-2.0) run inside the page. Its source is evaluated through the DevTools protocol rather than
 * added as a <script>, so the app's Content-Security-Policy (helmet) stays as production serves it.
 */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA (contrast, names, labels, lang) and axe's best practices (landmarks, headings). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AxeFinding {
  rule: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  /** CSS selectors of the offending nodes (first few), with axe's summary of what is wrong. */
  nodes: { target: string; summary: string }[];
}

declare const axe: { run(context: unknown, options: unknown): Promise<{ violations: RawViolation[] }> };
interface RawViolation {
  id: string;
  impact: AxeFinding['impact'];
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

export async function runAxe(page: Page): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(
    (tags) =>
      axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })) })),
      ),
    TAGS,
  );
  return violations.map((v) => ({ rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5) }));
}

declare const document: unknown;

export const isBlocking = (f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical';

export function describeFindings(findings: AxeFinding[]): string {
  return findings.map((f) => `  [${f.impact}] ${f.rule}: ${f.help}\n${f.nodes.map((n) => `      ${n.target} — ${n.summary.replace(/\s+/g, ' ').slice(0, 220)}`).join('\n')}`).join('\n');
}
