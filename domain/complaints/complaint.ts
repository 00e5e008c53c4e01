import type { DecisionContext } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { InvalidStateError, ValidationError } from '../shared/errors';
import { assertNever, type DomainEvent } from '../shared/event';
import { isChinesePhone, optionalText, requireRegionCode, requireText } from '../shared/validate';

/**
 * 12316 公众留言 / 投诉, stream `complaint-{complaintId}`: a member of the public complains about a product
 * (by its trace code, from the consumer page) or leaves a message; the supervision of the place where the
 * product is sold answers it, and may open an incident from it (the incident's source then names it).
 *
 * Personal data, kept to what the answer needs: nothing identifies the complainant unless they ask to be
 * called back. The answer is read with the receipt handed out at submission, of which the ledger keeps only
 * the SHA-256 (no secret in an event). A phone number is kept only with the call-back request, and every
 * answer shape but the one complaint read by its supervisors shows it masked.
 */
export const COMPLAINT_KINDS = ['complaint', 'message'] as const;
export type ComplaintKind = (typeof COMPLAINT_KINDS)[number];

export interface ComplaintContact {
  /** How they want to be addressed (称呼), not necessarily a full name. */
  name: string | null;
  /** Only when a call-back was asked for. */
  phone: string | null;
  callBack: boolean;
}

export type SubmitComplaint = {
  type: 'SubmitComplaint';
  data: {
    complaintId: string;
    kind: ComplaintKind;
    /** The lot the complaint is about, when it came from a label; `regionCode` is where it is sold then. */
    traceCode: string | null;
    product: string | null;
    regionCode: string;
    content: string;
    contact: ComplaintContact;
    receiptSha256: string;
  };
};
export type AnswerComplaint = { type: 'AnswerComplaint'; data: { answer: string; incidentId?: string | null } };
export type ComplaintCommand = SubmitComplaint | AnswerComplaint;

export type ComplaintSubmitted = DomainEvent<'ComplaintSubmitted', SubmitComplaint['data'] & { submittedAt: string }>;
export type ComplaintAnswered = DomainEvent<
  'ComplaintAnswered',
  { complaintId: string; regionCode: string; answer: string; incidentId: string | null; answeredAt: string; answeredBy: { userId: string; orgId: string } }
>;
export type ComplaintEvent = ComplaintSubmitted | ComplaintAnswered;
export const COMPLAINT_EVENT_TYPES: ComplaintEvent['type'][] = ['ComplaintSubmitted', 'ComplaintAnswered'];

export interface ComplaintState {
  status: 'none' | 'open' | 'answered';
  complaintId: string;
  regionCode: string;
  receiptSha256: string;
}

export function initialState(): ComplaintState {
  return { status: 'none', complaintId: '', regionCode: '', receiptSha256: '' };
}

export function evolve(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  switch (event.type) {
    case 'ComplaintSubmitted':
      return { status: 'open', complaintId: event.data.complaintId, regionCode: event.data.regionCode, receiptSha256: event.data.receiptSha256 };
    case 'ComplaintAnswered':
      return { ...state, status: 'answered' };
    default:
      return assertNever(event);
  }
}

function validateContact(c: ComplaintContact | undefined): ComplaintContact {
  const callBack = c?.callBack === true;
  const phone = optionalText(c?.phone, 'contact.phone', 30) ?? null;
  if (callBack && !phone) throw new ValidationError('contact.phone', 'a call-back needs a phone number');
  if (phone && !isChinesePhone(phone)) throw new ValidationError('contact.phone', 'contact.phone must be a mainland mobile or landline number');
  // Without a call-back the number is not needed, so it is not kept.
  return { name: optionalText(c?.name, 'contact.name', 50) ?? null, phone: callBack ? phone : null, callBack };
}

export function decide(command: ComplaintCommand, state: ComplaintState, ctx: DecisionContext): ComplaintEvent[] {
  const now = ctx.now.toISOString();
  switch (command.type) {
    case 'SubmitComplaint': {
      if (state.status !== 'none') throw new InvalidStateError(`complaint ${state.complaintId} already exists`);
      const d = command.data;
      if (!(COMPLAINT_KINDS as readonly string[]).includes(d.kind)) throw new ValidationError('kind', `kind must be one of ${COMPLAINT_KINDS.join(', ')}`);
      if (!/^[0-9a-f]{64}$/.test(d.receiptSha256)) throw new ValidationError('receiptSha256', 'the receipt is kept as its SHA-256');
      return [
        {
          type: 'ComplaintSubmitted',
          data: {
            complaintId: requireText(d.complaintId, 'complaintId', 100),
            kind: d.kind,
            traceCode: d.traceCode ?? null,
            product: optionalText(d.product, 'product', 100) ?? null,
            regionCode: requireRegionCode(d.regionCode, 'regionCode'),
            content: requireText(d.content, 'content', 2000),
            contact: validateContact(d.contact),
            receiptSha256: d.receiptSha256,
            submittedAt: now,
          },
        },
      ];
    }
    case 'AnswerComplaint': {
      if (state.status === 'none') throw new InvalidStateError('complaint does not exist');
      if (state.status === 'answered') throw new InvalidStateError('the complaint was answered already', { complaintId: state.complaintId });
      const d = command.data;
      return [
        {
          type: 'ComplaintAnswered',
          data: {
            complaintId: state.complaintId,
            regionCode: state.regionCode,
            answer: requireText(d.answer, 'answer', 2000),
            incidentId: optionalText(d.incidentId, 'incidentId', 100) ?? null,
            answeredAt: now,
            answeredBy: { userId: ctx.actor.userId, orgId: ctx.actor.orgId },
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export const complaintStreamId = (complaintId: string) => `complaint-${complaintId}`;

/** 138****5678: enough to recognise one's own number, not enough to call it. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '****';
}

export const decider: Decider<ComplaintCommand, ComplaintEvent, ComplaintState, DecisionContext> = { decide, evolve, initialState };
