import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { can } from '../../domain/accounts';
import { BusinessRuleError } from '../../domain/shared/errors';
import { fingerprintKey, scopeMeta } from '../ledger/idempotency';
import { CHAIN_HASHER, inlineChainHasher, type ChainHasher } from '../ledger/chain-hasher';
import type { CommandMeta } from '../ledger/ledger';
import type { CommandOutcome } from '../ledger/run-command';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../ports/clock';
import { ConcurrencyError, EVENT_STORE, type EventStore } from '../ports/event-store';
import { PASSWORD_HASHER, type PasswordHasher } from '../ports/password-hasher';
import { ACCOUNT_CREDENTIALS, type AccountCredentials } from '../accounts/credentials';
import { LedgerCommand } from '../shared/command-base';
import { LEDGER_SETTINGS, type LedgerSettings } from '../shared/settings';
import { BATCH_COMMANDS, type BatchCommandType, type BatchDeps, type BatchInputs } from './batch-commands';
import { BatchUnitOfWork, type StagedItem } from './batch-unit-of-work';
import { DependencyFailedError, resolveReferences, type ReferencedResult, type ResolvedPayload } from './item-references';

export interface BatchItem {
  /**
   * Idempotency key of this item, scoped like a single request's (caller, command type; decision 0010): a
   * resent item appends nothing and gets its first result back; the same key with another payload is refused.
   */
  commandId: string;
  type: BatchCommandType;
  /** The command's input as its single route takes it; may hold `{"$ref": "<commandId>/<field>"}`. */
  payload: unknown;
}

/**
 * Boundary validation of one item's payload (references already resolved), supplied by the caller — the
 * HTTP layer passes the zod schemas of the single-command routes. Throws a ValidationError naming the field.
 */
export type PayloadParser = <T extends BatchCommandType>(type: T, payload: unknown) => BatchInputs[T];

export type BatchItemResult =
  | { commandId: string; type: BatchCommandType; ok: true; result: object; position: number; duplicate: boolean }
  | { commandId: string; type: BatchCommandType; ok: false; error: Error };

export interface BatchOutcome {
  items: BatchItemResult[];
  /** Highest position among the items' events (0 when none): wait for projections to reach it. */
  position: number;
  /** Group commits it took (more than one only when a concurrent writer got in the way). */
  rounds: number;
}

export class RunBatchCommand extends LedgerCommand<{ items: BatchItem[]; parse: PayloadParser }> {}

/** A batch gives up on an item after this many group commits in a row were spoiled by concurrent writers. */
const MAX_ROUNDS = 8;

/**
 * Runs a batch of commands in order with group commit (decision 0006). Each round decides every pending
 * item against the batch's stream cache (a later item sees what earlier ones decided), then writes all of
 * them in one transaction. An item whose write meets a concurrent change (ConcurrencyError at commit) is
 * decided again in the next round, like a single command's retry — together with every later item that
 * relied on something staged in the spoiled round. Items never block each other otherwise.
 */
@CommandHandler(RunBatchCommand)
export class RunBatchHandler implements ICommandHandler<RunBatchCommand, BatchOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(ACCOUNT_CREDENTIALS) private readonly credentials: AccountCredentials,
    @Optional() @Inject(CHAIN_HASHER) private readonly chainHasher: ChainHasher = inlineChainHasher,
  ) {
    this.fingerprints = fingerprintKey(settings.traceCodeSecret);
  }

  private readonly fingerprints: Buffer;

  async execute({ input, meta }: RunBatchCommand): Promise<BatchOutcome> {
    const { items, parse } = input;
    const final: (BatchItemResult | undefined)[] = new Array(items.length);
    const conflicts = new Map<number, Error>();
    const firstIndex = new Map<string, number>();
    items.forEach((item, i) => firstIndex.has(item.commandId) || firstIndex.set(item.commandId, i));

    let pending = items.map((_, i) => i);
    let rounds = 0;
    while (pending.length > 0 && rounds < MAX_ROUNDS) {
      rounds++;
      const uow = new BatchUnitOfWork(this.store, this.clock, this.ids, this.chainHasher ?? inlineChainHasher);
      const deps: BatchDeps = { ledger: uow.ledger, clock: this.clock, ids: this.ids, settings: this.settings, hasher: this.hasher, credentials: this.credentials };
      const decided = new Map<number, StagedItem>();
      const lookup =
        (i: number) =>
        (commandId: string): ReferencedResult | undefined => {
          const j = firstIndex.get(commandId);
          if (j === undefined || j >= i) return undefined;
          const done = final[j];
          if (done) return { item: j, outcome: done.ok ? { ok: true, result: done.result } : { ok: false } };
          const d = decided.get(j)!;
          return { item: j, outcome: d.kind === 'failed' ? { ok: false } : { ok: true, result: d.outcome.result } };
        };

      for (const i of pending) {
        const item = items[i]!;
        const spec = BATCH_COMMANDS[item.type];
        let resolved: ResolvedPayload | undefined;
        try {
          if (!can(meta.actor.role, spec.permission))
            throw new BusinessRuleError('NOT_ALLOWED', `role ${meta.actor.role} lacks ${spec.permission} (needed by ${item.type})`, {
              field: 'type',
              permission: spec.permission,
            });
          resolved = resolveReferences(item.payload, lookup(i));
          const parsed = parse(item.type, resolved.payload);
          const sameRound = resolved.dependsOn.filter((j) => !final[j]);
          const run = spec.run as (d: BatchDeps, input: unknown, m: CommandMeta) => Promise<CommandOutcome<object>>;
          const itemMeta = scopeMeta(this.itemMeta(meta, item), spec.command.name, parsed, this.fingerprints);
          decided.set(i, await uow.decide(i, itemMeta.commandId, sameRound, () => run(deps, parsed, itemMeta)));
        } catch (err) {
          decided.set(i, uow.refuse(err, (resolved?.dependsOn.length ?? 0) > 0 || err instanceof DependencyFailedError));
        }
      }

      let committed: Awaited<ReturnType<BatchUnitOfWork['commit']>>;
      try {
        committed = await uow.commit();
      } catch (err) {
        // The group transaction itself failed (disk full, I/O): nothing of this round was written.
        const error = err instanceof Error ? err : new Error(String(err));
        for (const i of pending) final[i] = this.failure(items[i]!, decided.get(i)!.kind === 'failed' ? (decided.get(i) as { error: Error }).error : error);
        pending = [];
        break;
      }

      const retry = new Set<number>();
      for (const i of pending) {
        const d = decided.get(i)!;
        if (d.kind === 'done') final[i] = this.success(items[i]!, d.outcome, d.outcome.position, d.outcome.duplicate);
        if (d.kind !== 'staged') continue;
        const written = committed.get(i)!;
        if (written.ok && !written.result.duplicate) {
          final[i] = this.success(items[i]!, d.outcome, Math.max(0, ...written.result.events.map((e) => e.position)), false);
        } else if (written.ok || written.error instanceof ConcurrencyError) {
          // A concurrent writer changed a stream this item decided on (or appended its commandId first):
          // decide it again; its retry finds the original outcome in the second case.
          retry.add(i);
          if (!written.ok) conflicts.set(i, written.error);
        } else {
          final[i] = this.failure(items[i]!, written.error);
        }
      }
      const firstRetried = Math.min(...retry);
      for (const i of pending) {
        const d = decided.get(i)!;
        if (d.kind === 'mirror') {
          const original = final[d.of];
          if (!original) retry.add(i);
          else final[i] = original.ok ? { ...original, commandId: items[i]!.commandId, type: items[i]!.type, duplicate: true } : this.failure(items[i]!, original.error);
        } else if (d.kind === 'failed') {
          // A refusal that may rest on data of a spoiled item is not final: decide it again too.
          if (d.readStaged && i > firstRetried) retry.add(i);
          else final[i] = this.failure(items[i]!, d.error);
        }
      }
      pending = [...retry].sort((a, b) => a - b);
    }
    for (const i of pending) final[i] = this.failure(items[i]!, conflicts.get(i) ?? new BusinessRuleError('CONCURRENCY_CONFLICT', 'gave up after repeated concurrent changes'));

    const results = final as BatchItemResult[];
    const position = Math.max(0, ...results.map((r) => (r.ok ? r.position : 0)));
    return { items: results, position, rounds };
  }

  /** An item's meta before its key is scoped (scopeMeta turns `clientKey` into the stored commandId). */
  private itemMeta(batch: CommandMeta, item: BatchItem): CommandMeta {
    return {
      commandId: item.commandId,
      clientKey: { key: item.commandId, field: 'commandId' },
      actor: batch.actor,
      correlationId: batch.correlationId ?? batch.commandId,
      causationId: null,
    };
  }

  private success(item: BatchItem, outcome: CommandOutcome<object>, position: number, duplicate: boolean): BatchItemResult {
    return { commandId: item.commandId, type: item.type, ok: true, result: outcome.result, position, duplicate };
  }

  private failure(item: BatchItem, error: Error): BatchItemResult {
    return { commandId: item.commandId, type: item.type, ok: false, error };
  }
}
