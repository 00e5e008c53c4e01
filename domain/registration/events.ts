import type { DomainEvent } from '../shared/event';
import type { ApplyForRegistration } from './commands';
import type { Base, RegistrationChanges } from './types';

export type RegistrationApplied = DomainEvent<
  'RegistrationApplied',
  ApplyForRegistration['data'] & {
    /** ISO instant of the application. */
    appliedAt: string;
    /** ISO instant: end of the 5th working day (CST) after the application day (seed 001, 第八条). */
    reviewDeadline: string;
  }
>;
export type RegistrationApproved = DomainEvent<
  'RegistrationApproved',
  { entityId: string; eid: string; approvedAt: string; reviewerId: string }
>;
export type RegistrationRejected = DomainEvent<
  'RegistrationRejected',
  { entityId: string; reason: string; rejectedAt: string; reviewerId: string }
>;
export type RegistrationUpdated = DomainEvent<
  'RegistrationUpdated',
  { entityId: string; changes: RegistrationChanges; updatedAt: string }
>;
export type BaseAdded = DomainEvent<'BaseAdded', { entityId: string; base: Base; addedAt: string }>;

export type RegistrationEvent =
  | RegistrationApplied
  | RegistrationApproved
  | RegistrationRejected
  | RegistrationUpdated
  | BaseAdded;

export const REGISTRATION_EVENT_TYPES: RegistrationEvent['type'][] = [
  'RegistrationApplied',
  'RegistrationApproved',
  'RegistrationRejected',
  'RegistrationUpdated',
  'BaseAdded',
];
