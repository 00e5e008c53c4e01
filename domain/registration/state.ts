import { assertNever } from '../shared/event';
import type { RegistrationEvent } from './events';
import type { Base, EntityType } from './types';

export type RegistrationStatus = 'none' | 'pending' | 'approved' | 'rejected';

export interface RegistrationState {
  status: RegistrationStatus;
  entityId: string;
  name: string;
  /** Undefined only while status is 'none'. */
  entityType?: EntityType;
  regionCode: string;
  townshipCode?: string;
  address: string;
  legalRepresentative: string;
  contactPhone: string;
  creditCode?: string;
  products: string[];
  bases: Base[];
  appliedAt?: string;
  reviewDeadline?: string;
  eid?: string;
  approvedAt?: string;
  rejectedAt?: string;
  rejectionReason?: string;
}

export function initialState(): RegistrationState {
  return {
    status: 'none',
    entityId: '',
    name: '',
    regionCode: '',
    address: '',
    legalRepresentative: '',
    contactPhone: '',
    products: [],
    bases: [],
  };
}

export function evolve(state: RegistrationState, event: RegistrationEvent): RegistrationState {
  switch (event.type) {
    case 'RegistrationApplied': {
      const d = event.data;
      return {
        ...state,
        status: 'pending',
        entityId: d.entityId,
        name: d.name,
        entityType: d.entityType,
        regionCode: d.regionCode,
        ...(d.townshipCode !== undefined ? { townshipCode: d.townshipCode } : {}),
        address: d.address,
        legalRepresentative: d.legalRepresentative,
        contactPhone: d.contactPhone,
        ...(d.creditCode !== undefined ? { creditCode: d.creditCode } : {}),
        products: [...d.products],
        bases: d.bases.map((b) => ({ ...b, products: [...b.products] })),
        appliedAt: d.appliedAt,
        reviewDeadline: d.reviewDeadline,
      };
    }
    case 'RegistrationApproved':
      return { ...state, status: 'approved', eid: event.data.eid, approvedAt: event.data.approvedAt };
    case 'RegistrationRejected':
      return { ...state, status: 'rejected', rejectedAt: event.data.rejectedAt, rejectionReason: event.data.reason };
    case 'RegistrationUpdated': {
      const c = event.data.changes;
      return {
        ...state,
        ...(c.name !== undefined ? { name: c.name } : {}),
        ...(c.address !== undefined ? { address: c.address } : {}),
        ...(c.legalRepresentative !== undefined ? { legalRepresentative: c.legalRepresentative } : {}),
        ...(c.contactPhone !== undefined ? { contactPhone: c.contactPhone } : {}),
        ...(c.products !== undefined ? { products: [...c.products] } : {}),
      };
    }
    case 'BaseAdded':
      return { ...state, bases: [...state.bases, { ...event.data.base, products: [...event.data.base.products] }] };
    default:
      return assertNever(event);
  }
}
