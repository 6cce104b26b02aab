/** What the public verify page shows of each kind of document (ADR 0019): masked names, key facts, no identifiers. */
import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../documents/document-token.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import { verifyFactsOf } from './verify-disclosure.js';

const ID = composeCitizenId('330881', '1990-05-06', 13);
const CO = composeCitizenId('330881', '2015-01-01', 22);
const applicant = { name: '欧阳远航', citizenId: ID };
const address = { text: '衢州市柯城区荷花街道花园路 18 号 3 幢 201 室', countyCode: '330802' };
const INPUTS: Record<(typeof DOCUMENT_KINDS)[number], unknown> = {
  'legacy-hukou-nature-proof': {
    person: {
      name: '欧阳远航',
      citizenId: ID,
      birthDate: '1990-05-06',
      legacyHukouNature: [{ type: '10', from: null, to: '2017-06-30' }],
    },
    household: { householdNumber: '330802000100001', address },
  },
  'household-extract': {
    household: { householdNumber: '330802000100001', address, headPersonId: 'h' },
    members: [
      { person: { id: 'h', name: '欧阳远航', citizenId: ID } },
      { person: { id: 'c', name: '欧阳小航', citizenId: CO } },
    ],
    asOf: '2026-12-01',
  },
  'approval-notice': {
    referenceNumber: 'SQ20261201000007',
    applicationType: { id: 'settlement/legal-residence', label: '合法稳定住所落户' },
    applicant,
    coApplicants: [{ name: '欧阳小航', citizenId: CO, relationship: '20' }],
    // As the approval writes it: the persons by name (the page must mask them).
    decision: '准予欧阳远航、欧阳小航在柯城区登记常住户口。',
    destination: { address, householdNumber: '330802000100001' },
  },
  'permit-to-move-in': {
    referenceNumber: 'SQ20261201000007',
    movers: [
      { name: '欧阳远航', citizenId: ID, birthDate: '1990-05-06' },
      { name: '欧阳小航', citizenId: CO, birthDate: '2015-01-01' },
    ],
    origin: { text: '江山市虎山街道 1 号', countyCode: '330881' },
    destination: { address, householdNumber: '330802000100001' },
  },
  'residence-permit': {
    holder: { name: '欧阳远航', citizenId: ID, birthDate: '1990-05-06', sex: '1' },
    residenceAddress: address,
    validFrom: '2026-12-01',
  },
  'acceptance-receipt': {
    referenceNumber: 'SQ20261201000007',
    applicationType: { id: 'residence-permit', label: '居住证' },
    applicant,
    acceptedOn: '2026-12-01',
    timeLimit: { workingDays: 15, deadline: '2026-12-22' },
  },
  'refusal-notice': {
    referenceNumber: 'SQ20261201000007',
    applicationType: { id: 'residence-permit', label: '居住证' },
    applicant,
    stage: 'approval',
    reason: '欧阳远航提供的租赁合同系伪造，出租人欧阳某某证实未出租。',
  },
};

const valuesOf = (kind: (typeof DOCUMENT_KINDS)[number]) =>
  Object.fromEntries(verifyFactsOf(kind, INPUTS[kind]).map((f) => [f.key, f.value.zh]));

describe('the verify page discloses enough to compare, nothing to identify (issue 14)', () => {
  it.each(DOCUMENT_KINDS)('shows a masked name and never an identifier for %s', (kind) => {
    const facts = verifyFactsOf(kind, INPUTS[kind]);
    const text = JSON.stringify(facts);
    expect(text).toContain('欧阳**');
    for (const secret of [
      '欧阳远航',
      '欧阳小航',
      ID,
      CO,
      ID.slice(-4),
      '1990-05-06',
      '330802000100001',
      '花园路',
      '虎山街道',
      '伪造',
    ])
      expect(text, secret).not.toContain(secret);
    for (const f of facts) expect(f.label.zh.length * f.label.en.length, f.key).toBeGreaterThan(0);
  });

  it('states the key facts of each kind', () => {
    expect(valuesOf('legacy-hukou-nature-proof')).toMatchObject({ name: '欧阳**' });
    expect(valuesOf('legacy-hukou-nature-proof').legacyNature).toBeTruthy();
    expect(valuesOf('household-extract')).toEqual({ head: '欧阳**', members: '2', asOf: '2026-12-01' });
    expect(valuesOf('approval-notice')).toEqual({
      reference: 'SQ20261201000007',
      applicationType: '合法稳定住所落户',
      applicant: '欧阳**',
      persons: '2',
      decision: '准予欧阳**、欧阳**在柯城区登记常住户口。',
    });
    expect(valuesOf('permit-to-move-in')).toMatchObject({
      movers: '欧阳**、欧阳**',
      persons: '2',
      origin: '江山市（330881）',
      destination: '柯城区（330802）',
    });
    expect(valuesOf('residence-permit')).toEqual({
      holder: '欧阳**',
      residence: '柯城区（330802）',
      validFrom: '2026-12-01',
    });
    expect(valuesOf('acceptance-receipt')).toMatchObject({
      acceptedOn: '2026-12-01',
      deadline: '2026-12-22',
    });
    expect(valuesOf('refusal-notice')).toMatchObject({ decision: '不予批准', reference: 'SQ20261201000007' });
  });
});
