import type { ProjectionHost } from '../../projections/runner/projection-runner';

/**
 * Whether the platform can serve what it promises: "live" answers as soon as HTTP listens, "ready" only once
 * the start-up work is done (bootstrap admin, demo data) and every projection has folded the log up to the
 * head seen then. Before that, login can fail (the accounts read model is behind), so clients and tests
 * wait on ready, never on live. A projection whose new version is rebuilding beside its served old generation
 * (a deploy that bumped its version) does not hold readiness back; `rebuilding` names it until it swaps in.
 */
export class Readiness {
  private targetHead: number | null = null;
  private readyAt: string | null = null;
  private runner: Pick<ProjectionHost, 'rebuildingNames'> | null = null;

  /** Start-up work is done and the log head is `head`: ready once the projections reach it. */
  async begin(runner: Pick<ProjectionHost, 'waitFor'> & Partial<Pick<ProjectionHost, 'rebuildingNames'>>, head: number, now: () => Date): Promise<void> {
    this.targetHead = head;
    if (runner.rebuildingNames) this.runner = runner as Pick<ProjectionHost, 'rebuildingNames'>;
    // waitFor resolves false on its timeout; keep waiting (a large rebuild at start can take minutes).
    while (!(await runner.waitFor(head, 60_000))) {
      /* still catching up */
    }
    this.readyAt = now().toISOString();
  }

  state(): { ready: boolean; targetHead: number | null; readyAt: string | null; rebuilding: string[] } {
    return { ready: this.readyAt !== null, targetHead: this.targetHead, readyAt: this.readyAt, rebuilding: this.runner?.rebuildingNames() ?? [] };
  }
}
