import type { Base, EntityType, RegistrationChanges } from './types';

export type ApplyForRegistration = {
  type: 'ApplyForRegistration';
  data: {
    entityId: string;
    name: string;
    entityType: EntityType;
    regionCode: string;
    /**
     * The township (乡镇 / 街道, nine digits) inside `regionCode` where the entity is; optional (older
     * registrations have none). It locates the entity for township supervision (decision 0009).
     */
    townshipCode?: string;
    address: string;
    legalRepresentative: string;
    contactPhone: string;
    /** 18-character unified social credit code; required for every type except households. */
    creditCode?: string;
    bases: Base[];
    products: string[];
  };
};
/** The e-ID comes from generateEid(regionCode, idGenerator.randomBase32(5)) in the application. */
export type ApproveRegistration = { type: 'ApproveRegistration'; data: { eid: string } };
export type RejectRegistration = { type: 'RejectRegistration'; data: { reason: string } };
export type UpdateRegistration = { type: 'UpdateRegistration'; data: { changes: RegistrationChanges } };
export type AddBase = { type: 'AddBase'; data: { base: Base } };

export type RegistrationCommand =
  | ApplyForRegistration
  | ApproveRegistration
  | RejectRegistration
  | UpdateRegistration
  | AddBase;
