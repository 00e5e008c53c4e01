import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { fingerprintKey, scopeCommand } from '../../application/ledger/idempotency';
import type { CommandMeta } from '../../application/ledger/ledger';
import type { CommandOutcome } from '../../application/ledger/run-command';
import { ID_GENERATOR, type IdGenerator } from '../../application/ports/clock';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '../../application/ports/read-models';
import { LEDGER_SETTINGS, type LedgerSettings } from '../../application/shared/settings';
import { actorOf } from './auth/auth.guard';
import { LedgerCommand } from '../../application/shared/command-base';
import { requestClientKey } from './identity/request-actor';

/**
 * Sends a command through the bus and, by default, waits (bounded) until the read models include its
 * events, so a client that creates a lot can look it up on the next request. On the way it scopes the
 * request's idempotency key to the caller and the command type (decision 0010).
 */
@Injectable()
export class CommandGateway {
  private readonly fingerprints: Buffer;

  constructor(
    private readonly bus: CommandBus,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(LEDGER_SETTINGS) private readonly settings: LedgerSettings,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.fingerprints = fingerprintKey(settings.traceCodeSecret);
  }

  /** The request's command metadata; its idempotency key (if any) is scoped in `execute`, once the command is known. */
  meta(req: Request): CommandMeta {
    const correlation = req.header('x-correlation-id');
    const clientKey = requestClientKey(req);
    return {
      commandId: this.ids.uuid(),
      ...(clientKey ? { clientKey } : {}),
      actor: actorOf(req),
      ...(correlation ? { correlationId: correlation } : {}),
    };
  }

  async execute<R extends object>(command: object): Promise<R & { position: number; duplicate: boolean }> {
    const scoped = command instanceof LedgerCommand ? scopeCommand(command, this.fingerprints) : command;
    const outcome = (await this.bus.execute(scoped as never)) as CommandOutcome<R>;
    if (this.settings.readYourWritesMs > 0) await this.progress.waitFor(outcome.position, this.settings.readYourWritesMs);
    return { ...outcome.result, position: outcome.position, duplicate: outcome.duplicate };
  }
}
