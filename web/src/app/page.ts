import type { Route } from './router';

/** A page renders into its own container; what it returns is called when the user leaves it (maps, timers). */
export type Page = (root: HTMLElement, route: Route) => Promise<void | (() => void)>;

export function setTitle(title: string): void {
  document.title = title ? `${title} · 溯源 Suyuan` : '溯源 Suyuan';
}
