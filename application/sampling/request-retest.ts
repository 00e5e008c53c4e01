import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionalRecord } from '../access';
import type { OrgRef } from '../../domain/monitoring';
import { decider } from '../../domain/sampling';
import { CLOCK, type Clock } from '../ports/clock';
import type { Ledger } from '../ledger/ledger';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';
import { loadSample } from './load-sample';

export class RequestRetestCommand extends LedgerCommand<{ sampleId: string; reason: string; retestLab: OrgRef; requestedBy: string }> {}

/** 复检 (seed 002, 第二十六条): the supervision agency that received the application issues the re-test to a lab. */
@CommandHandler(RequestRetestCommand)
export class RequestRetestHandler implements ICommandHandler<RequestRetestCommand, CommandOutcome<{ sampleId: string; status: 'retest-requested'; retestLab: OrgRef }>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: RequestRetestCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const sample = await loadSample(this.ledger, input.sampleId);
        assertAllowed(meta.actor, 'act', regionalRecord('sample', input.sampleId, sample.state.subject!.regionCode));
        const { sampleId: _s, ...data } = input;
        return [{ stream: sample, events: decider.decide({ type: 'RequestRetest', data }, sample.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ sampleId: input.sampleId, status: 'retest-requested' as const, retestLab: input.retestLab }),
    );
  }
}
