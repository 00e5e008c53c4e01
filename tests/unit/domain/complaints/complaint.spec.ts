import { InvalidStateError, ValidationError } from '../../../../domain/shared/errors';
import { decider, maskPhone, type ComplaintEvent, type SubmitComplaint } from '../../../../domain/complaints';
import { NOW, spec } from '../support/decider-spec';

/** 12316 complaints: submitted by the public with as little personal data as the answer needs, answered once. */
const at = NOW.toISOString();
const RECEIPT_SHA = 'a'.repeat(64);
const submit: SubmitComplaint['data'] = {
  complaintId: 'cp-1',
  kind: 'complaint',
  traceCode: '469027261120000010001ABCD',
  product: '豇豆',
  regionCode: '469027',
  content: '买到的豇豆有刺鼻农药味',
  contact: { name: '王女士', phone: '13807610001', callBack: false },
  receiptSha256: RECEIPT_SHA,
};
const COUNTY = { userId: 'u-county', orgId: 'county-469027', role: 'county-admin' as const, regionCode: '469027' };
const c = () => spec(decider);

describe('12316 complaint: submitted → answered', () => {
  it('keeps no phone number unless a call-back was asked for', () => {
    c()
      .given([])
      .when({ type: 'SubmitComplaint', data: submit })
      .then([{ type: 'ComplaintSubmitted', data: { ...submit, contact: { name: '王女士', phone: null, callBack: false }, submittedAt: at } }]);
    c()
      .given([])
      .when({ type: 'SubmitComplaint', data: { ...submit, contact: { name: null, phone: '13807610001', callBack: true } } })
      .thenMatches(([e]) => expect(e!.data).toMatchObject({ contact: { phone: '13807610001', callBack: true } }));
  });

  it('refuses a call-back without a number, a number that is not one, a receipt kept in clear', () => {
    c().given([]).when({ type: 'SubmitComplaint', data: { ...submit, contact: { name: null, phone: null, callBack: true } } }).thenThrows(ValidationError, 'contact.phone');
    c().given([]).when({ type: 'SubmitComplaint', data: { ...submit, contact: { name: null, phone: '12345', callBack: true } } }).thenThrows(ValidationError, 'contact.phone');
    c().given([]).when({ type: 'SubmitComplaint', data: { ...submit, receiptSha256: 'RECEIPT-IN-CLEAR' } }).thenThrows(ValidationError, 'receiptSha256');
    c().given([]).when({ type: 'SubmitComplaint', data: { ...submit, content: '' } }).thenThrows(ValidationError, 'content');
  });

  it('is answered once, by the supervisor, naming an incident opened from it', () => {
    const submitted = decider.decide({ type: 'SubmitComplaint', data: submit }, decider.initialState(), { now: NOW, actor: COUNTY }) as ComplaintEvent[];
    const { events: answered } = c()
      .given(submitted)
      .when({ type: 'AnswerComplaint', data: { answer: '已抽检该批次，结果不合格，已立案查处', incidentId: 'inc-9' } }, { now: NOW, actor: COUNTY })
      .then([
        {
          type: 'ComplaintAnswered',
          data: { complaintId: 'cp-1', regionCode: '469027', answer: '已抽检该批次，结果不合格，已立案查处', incidentId: 'inc-9', answeredAt: at, answeredBy: { userId: 'u-county', orgId: 'county-469027' } },
        },
      ]);
    c().given([...submitted, ...answered]).when({ type: 'AnswerComplaint', data: { answer: 'again' } }).thenThrows(InvalidStateError);
    c().given([]).when({ type: 'AnswerComplaint', data: { answer: 'x' } }).thenThrows(InvalidStateError);
  });

  it('masks a phone number for lists', () => {
    expect(maskPhone('13807610001')).toBe('138****0001');
    expect(maskPhone(null)).toBeNull();
  });
});
