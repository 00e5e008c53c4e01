import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, regionalRecord } from '../access';
import { warnings, warningStreamId } from '../../domain/risk';
import type { DecisionContext } from '../../domain/shared/actor';
import { CLOCK, type Clock } from '../ports/clock';
import type { CommandMeta, Ledger, StreamWrite } from '../ledger/ledger';
import { systemCommandId } from '../ledger/idempotency';
import { runCommand, type CommandOutcome } from '../ledger/run-command';
import { loadExisting } from '../quality/decide-on-stream';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER } from '../shared/settings';

/** The write that raises a warning, or nothing when that warning (same deterministic id) exists already. */
export async function raiseWrite(ledger: Ledger, data: warnings.RaiseWarning['data'], ctx: DecisionContext): Promise<StreamWrite | null> {
  const stream = await ledger.load(warningStreamId(data.warningId), warnings.decider);
  if (stream.state.status !== 'none') return null;
  return { stream, events: warnings.decide({ type: 'RaiseWarning', data }, stream.state, ctx) };
}

/**
 * Raises a warning as its own command (process managers, jobs). Idempotent twice over: the command id is
 * derived from the warning id, and an existing warning is left alone.
 */
export async function raiseWarning(ledger: Ledger, clock: Clock, data: warnings.RaiseWarning['data'], meta: Omit<CommandMeta, 'commandId'>): Promise<boolean> {
  if ((await ledger.store.streamRevision(warningStreamId(data.warningId))) !== 'no_stream') return false;
  try {
    await runCommand(
      ledger,
      { ...meta, commandId: systemCommandId(`raise-${data.warningId}`) },
      async () => {
        const write = await raiseWrite(ledger, data, { now: clock.now(), actor: meta.actor });
        if (!write) throw new AlreadyRaised();
        return [write];
      },
      () => true,
    );
    return true;
  } catch (err) {
    // Another path raised the same warning first: that is the outcome we wanted.
    if (err instanceof AlreadyRaised) return false;
    throw err;
  }
}

/** The warning is already in the wanted state: nothing to append. */
class AlreadyRaised extends Error {}

/** The write that closes an open warning (nothing when it is already closed). */
export async function closeWrite(ledger: Ledger, warningId: string, reason: string, resolution: warnings.CloseResolution, ctx: DecisionContext): Promise<StreamWrite | null> {
  const stream = await ledger.load(warningStreamId(warningId), warnings.decider);
  if (!warnings.isOpen(stream.state)) return null;
  return { stream, events: warnings.decide({ type: 'CloseWarning', data: { reason, resolution } }, stream.state, ctx) };
}

/** Closes a warning as its own command (its condition cleared); false when it is absent or closed already. */
export async function closeWarning(
  ledger: Ledger,
  clock: Clock,
  warningId: string,
  reason: string,
  resolution: warnings.CloseResolution,
  meta: Omit<CommandMeta, 'commandId'>,
): Promise<boolean> {
  if ((await ledger.store.streamRevision(warningStreamId(warningId))) === 'no_stream') return false;
  try {
    await runCommand(
      ledger,
      { ...meta, commandId: systemCommandId(`close-${warningId}`) },
      async () => {
        const write = await closeWrite(ledger, warningId, reason, resolution, { now: clock.now(), actor: meta.actor });
        if (!write) throw new AlreadyRaised();
        return [write];
      },
      () => true,
    );
    return true;
  } catch (err) {
    if (err instanceof AlreadyRaised) return false;
    throw err;
  }
}

export class AcknowledgeWarningCommand extends LedgerCommand<{ warningId: string; note?: string }> {}
export class CloseWarningCommand extends LedgerCommand<{ warningId: string; reason: string; resolution: warnings.CloseResolution }> {}

type WarningAnswer = { warningId: string; status: warnings.WarningStatus };

/** Supervision in the warning's region acknowledges it (收到、正在处置). */
@CommandHandler(AcknowledgeWarningCommand)
export class AcknowledgeWarningHandler implements ICommandHandler<AcknowledgeWarningCommand, CommandOutcome<WarningAnswer>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: AcknowledgeWarningCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, warningStreamId(input.warningId), warnings.decider, 'warning', input.warningId);
        assertAllowed(meta.actor, 'act', regionalRecord('warning', input.warningId, stream.state.subject!.regionCode));
        const data = input.note !== undefined ? { note: input.note } : {};
        return [{ stream, events: warnings.decide({ type: 'AcknowledgeWarning', data }, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ warningId: input.warningId, status: 'acknowledged' as const }),
    );
  }
}

/** Supervision closes a handled warning; a held lot is released from hold. */
@CommandHandler(CloseWarningCommand)
export class CloseWarningHandler implements ICommandHandler<CloseWarningCommand, CommandOutcome<WarningAnswer>> {
  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ input, meta }: CloseWarningCommand) {
    return runCommand(
      this.ledger,
      meta,
      async () => {
        const stream = await loadExisting(this.ledger, warningStreamId(input.warningId), warnings.decider, 'warning', input.warningId);
        assertAllowed(meta.actor, 'act', regionalRecord('warning', input.warningId, stream.state.subject!.regionCode));
        const command: warnings.CloseWarning = { type: 'CloseWarning', data: { reason: input.reason, resolution: input.resolution } };
        return [{ stream, events: warnings.decide(command, stream.state, { now: this.clock.now(), actor: meta.actor }) }];
      },
      () => ({ warningId: input.warningId, status: 'closed' as const }),
    );
  }
}
