import type { Permission } from '../../domain/accounts';
import type { Clock, IdGenerator } from '../ports/clock';
import type { PasswordHasher } from '../ports/password-hasher';
import type { AccountCredentials } from '../accounts/credentials';
import type { CommandMeta, Ledger } from '../ledger/ledger';
import type { CommandOutcome } from '../ledger/run-command';
import type { LedgerCommand } from '../shared/command-base';
import type { LedgerSettings } from '../shared/settings';
import { ApplyForRegistrationCommand, ApplyForRegistrationHandler, type ApplyForRegistrationInput } from '../registration/apply-for-registration';
import {
  ApproveRegistrationCommand,
  ApproveRegistrationHandler,
  RejectRegistrationCommand,
  RejectRegistrationHandler,
} from '../registration/review-registration';
import { CreateLotCommand, CreateLotHandler, type CreateLotInput } from '../lots/create-lot';
import { IssueMarketEntryCommand, IssueMarketEntryHandler } from '../lots/issue-market-entry';
import { ShipCommand, ShipHandler } from '../transfers/ship';
import { ConfirmTransferCommand, ConfirmTransferHandler, RejectTransferCommand, RejectTransferHandler } from '../transfers/settle';

/** The command types a batch may carry (the `type` of an item), named after what they do. */
export const BATCH_COMMAND_TYPES = [
  'applyForRegistration',
  'approveRegistration',
  'rejectRegistration',
  'createLot',
  'ship',
  'confirmTransfer',
  'rejectTransfer',
  'issueMarketEntry',
] as const;
export type BatchCommandType = (typeof BATCH_COMMAND_TYPES)[number];

/** Each type's input: exactly what the command's own route takes (path parameters included). */
export interface BatchInputs {
  applyForRegistration: ApplyForRegistrationInput;
  approveRegistration: ApproveRegistrationCommand['input'];
  rejectRegistration: RejectRegistrationCommand['input'];
  createLot: CreateLotInput;
  ship: ShipCommand['input'];
  confirmTransfer: ConfirmTransferCommand['input'];
  rejectTransfer: RejectTransferCommand['input'];
  issueMarketEntry: IssueMarketEntryCommand['input'];
}

/** What a batch's handlers are built from: the batch's own Ledger (over its staging store) and the platform's services. */
export interface BatchDeps {
  ledger: Ledger;
  clock: Clock;
  ids: IdGenerator;
  settings: LedgerSettings;
  hasher: PasswordHasher;
  credentials: AccountCredentials;
}

interface BatchCommandSpec<T extends BatchCommandType> {
  /** The permission of the command's single route: a batch grants nothing a single request would not. */
  permission: Permission;
  /** The command's class: an item's key is scoped to it exactly as on the single route (decision 0010). */
  command: abstract new (...args: never[]) => LedgerCommand<unknown>;
  run(deps: BatchDeps, input: BatchInputs[T], meta: CommandMeta): Promise<CommandOutcome<object>>;
}

/**
 * Every batch type runs the very handler of its single-command route, constructed over the batch's Ledger
 * instead of the platform's: same validation, deciders, events and results — only the writes are grouped.
 */
export const BATCH_COMMANDS: { [T in BatchCommandType]: BatchCommandSpec<T> } = {
  applyForRegistration: {
    permission: 'entity.apply',
    command: ApplyForRegistrationCommand,
    run: (d, input, meta) => new ApplyForRegistrationHandler(d.ledger, d.clock, d.ids, d.settings).execute(new ApplyForRegistrationCommand(input, meta)),
  },
  approveRegistration: {
    permission: 'entity.review',
    command: ApproveRegistrationCommand,
    run: (d, input, meta) =>
      new ApproveRegistrationHandler(d.ledger, d.clock, d.ids, d.settings, d.hasher, d.credentials).execute(new ApproveRegistrationCommand(input, meta)),
  },
  rejectRegistration: {
    permission: 'entity.review',
    command: RejectRegistrationCommand,
    run: (d, input, meta) => new RejectRegistrationHandler(d.ledger, d.clock, d.settings).execute(new RejectRegistrationCommand(input, meta)),
  },
  createLot: {
    permission: 'lot.create',
    command: CreateLotCommand,
    run: (d, input, meta) => new CreateLotHandler(d.ledger, d.clock, d.settings).execute(new CreateLotCommand(input, meta)),
  },
  ship: {
    permission: 'transfer.ship',
    command: ShipCommand,
    run: (d, input, meta) => new ShipHandler(d.ledger, d.clock, d.ids, d.settings).execute(new ShipCommand(input, meta)),
  },
  confirmTransfer: {
    permission: 'transfer.settle',
    command: ConfirmTransferCommand,
    run: (d, input, meta) => new ConfirmTransferHandler(d.ledger, d.clock, d.settings).execute(new ConfirmTransferCommand(input, meta)),
  },
  rejectTransfer: {
    permission: 'transfer.settle',
    command: RejectTransferCommand,
    run: (d, input, meta) => new RejectTransferHandler(d.ledger, d.clock).execute(new RejectTransferCommand(input, meta)),
  },
  issueMarketEntry: {
    permission: 'market-entry.issue',
    command: IssueMarketEntryCommand,
    run: (d, input, meta) => new IssueMarketEntryHandler(d.ledger, d.clock, d.ids, d.settings).execute(new IssueMarketEntryCommand(input, meta)),
  },
};

export function isBatchCommandType(type: unknown): type is BatchCommandType {
  return typeof type === 'string' && (BATCH_COMMAND_TYPES as readonly string[]).includes(type);
}
