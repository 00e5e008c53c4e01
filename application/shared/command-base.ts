import type { CommandMeta } from '../ledger/ledger';

/** Every command travels with its metadata (commandId, actor, correlation) through the command bus. */
export abstract class LedgerCommand<I> {
  constructor(
    readonly input: I,
    readonly meta: CommandMeta,
  ) {}
}
