import type { ProjectionRunner } from '../../projections/runner/projection-runner';

/**
 * Whether the platform can serve what it promises: "live" answers as soon as HTTP listens, "ready" only once
 * the start-up work is done (bootstrap admin, demo data) and every projection has folded the log up to the
 * head seen then. Before that, login can fail (the accounts read model is behind), so clients and tests
 * wait on ready, never on live.
 */
export class Readiness {
  private targetHead: number | null = null;
  private readyAt: string | null = null;

  /** Start-up work is done and the log head is `head`: ready once the projections reach it. */
  async begin(runner: Pick<ProjectionRunner, 'waitFor'>, head: number, now: () => Date): Promise<void> {
    this.targetHead = head;
    // waitFor resolves false on its timeout; keep waiting (a large rebuild at start can take minutes).
    while (!(await runner.waitFor(head, 60_000))) {
      /* still catching up */
    }
    this.readyAt = now().toISOString();
  }

  state(): { ready: boolean; targetHead: number | null; readyAt: string | null } {
    return { ready: this.readyAt !== null, targetHead: this.targetHead, readyAt: this.readyAt };
  }
}
