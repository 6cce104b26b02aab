import { describe, expect, it } from 'vitest';
import { Facts } from '../policy/facts.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import { buildReturnNotice, outstandingChanges, type RequiredChange } from './completeness.js';
import {
  applyCorrections,
  correctableFields,
  fieldLabel,
  fieldValueText,
  type CorrectionProblem,
} from './corrections.js';
import type { ApplicationForm } from './forms.js';

const applicantId = composeCitizenId('360102', '1990-05-06', 11);
const childId = composeCitizenId('360102', '2015-03-04', 22);
const form: ApplicationForm = {
  kind: 'settlement',
  applicant: { name: '王大明', citizenId: applicantId },
  movers: [
    {
      name: '王大明',
      sex: '1',
      birthDate: '1990-05-06',
      citizenId: applicantId,
      relationship: '02',
      birthplace: '360102',
      ethnicity: '01',
      education: '60',
      maritalStatus: '20',
    },
    {
      name: '王小名',
      sex: '2',
      birthDate: '2015-03-04',
      citizenId: childId,
      relationship: '20',
      birthplace: null,
      ethnicity: '01',
    },
  ],
  fromDivision: '360102',
  destination: { newHousehold: { type: 'family', address: { text: '信安街道 5 号', countyCode: '330802' } } },
};
const facts = Facts.parse({
  place: { countyCode: '330802' },
  person: { age: 36, sex: 'male' },
  hukou: { scope: 'other-province' },
  residence: { type: 'owned' },
});
const kinds = (problems: readonly CorrectionProblem[]) => problems.map((p) => `${p.kind}:${p.field}`);

describe('corrections of the form (申请内容更正)', () => {
  it('names each field in words, with the mover; refuses fields the form does not have', () => {
    expect(fieldLabel(form, 'movers.1.name')).toEqual({
      zh: '第 2 位迁入人（王小名）：姓名',
      en: 'mover 2 (王小名): name',
    });
    expect(fieldLabel(form, 'movers.0.ethnicity')?.zh).toBe('申请人（王大明）：民族');
    expect(fieldLabel(form, 'fromDivision')?.zh).toBe('迁出地');
    expect(fieldLabel(form, 'facts.residence.type')?.zh).toMatch(/^问题：/u);
    for (const bad of ['movers.2.name', 'movers.0.sex', 'permitNumber', 'facts.nope', 'kind', '__proto__'])
      expect(fieldLabel(form, bad), bad).toBeUndefined();
    const fields = correctableFields(form, ['residence.type']).map((f) => f.field);
    expect(fields).toContain('movers.1.birthplace');
    expect(fields).toContain('destination');
    expect(fields).toContain('facts.residence.type');
    expect(fields).not.toContain('movers.0.sex');
  });

  it('a return names fields of the form with a reason each, and refuses a field it does not have', () => {
    const reason = { zh: '姓名与户口簿不一致', en: 'the name differs from the booklet' };
    const labels = (f: string) => fieldLabel(form, f);
    const notice = buildReturnNotice(
      { materials: [] },
      [],
      [{ kind: 'field', field: 'movers.1.name', reason }],
      undefined,
      undefined,
      labels,
    );
    expect(notice).toEqual({
      isValid: true,
      changes: [{ kind: 'field', field: 'movers.1.name', label: labels('movers.1.name'), reason }],
    });
    const bad = buildReturnNotice(
      { materials: [] },
      [],
      [{ kind: 'field', field: 'movers.7.name', reason }],
      undefined,
      undefined,
      labels,
    );
    expect(bad).toEqual({ isValid: false, problems: [{ kind: 'not-a-field', field: 'movers.7.name' }] });
  });

  it('a returned field is outstanding until it is changed, like a material until it is uploaded again', () => {
    const changes: RequiredChange[] = [
      {
        kind: 'field',
        field: 'fromDivision',
        label: { zh: '迁出地', en: 'moving from' },
        reason: { zh: 'x', en: 'x' },
      },
      { kind: 'redo', material: 'id#0', label: { zh: '身份证', en: 'id' }, reason: { zh: 'x', en: 'x' } },
    ];
    expect(outstandingChanges(changes, []).map((c) => c.kind)).toEqual(['field', 'redo']);
    expect(outstandingChanges(changes, [], new Set(['fromDivision'])).map((c) => c.kind)).toEqual(['redo']);
    expect(
      outstandingChanges(changes, [{ key: 'id#0', status: 'accepted' }], new Set(['fromDivision'])),
    ).toEqual([]);
  });

  it('applies corrections of returned fields and reports before → after', () => {
    const result = applyCorrections(
      form,
      facts,
      ['movers.1.name', 'movers.1.birthplace', 'facts.residence.type'],
      [
        { field: 'movers.1.name', value: ' 王小茗 ' },
        { field: 'movers.1.birthplace', value: '330802' },
        { field: 'facts.residence.type', value: 'private-rental' },
      ],
    );
    expect(result.ok ? [] : result.problems).toEqual([]);
    if (!result.ok) return;
    const mover = result.form.kind === 'settlement' ? result.form.movers[1] : undefined;
    expect(mover).toMatchObject({ name: '王小茗', birthplace: '330802', citizenId: childId });
    expect(result.facts.residence.type).toBe('private-rental');
    expect(result.changes.map((c) => [c.field, c.before, c.after])).toEqual([
      ['movers.1.name', '王小名', '王小茗'],
      ['movers.1.birthplace', null, '330802'],
      ['facts.residence.type', 'owned', 'private-rental'],
    ]);
    expect(result.changes[1]?.beforeText.zh).toBe('不详');
    expect(result.changes[1]?.afterText.zh).toContain('柯城区');
    // The original is untouched.
    expect(form.kind === 'settlement' && form.movers[1]?.name).toBe('王小名');
  });

  it('refuses a change to a field nobody returned, even with the returned ones done', () => {
    const result = applyCorrections(
      form,
      facts,
      ['movers.1.name'],
      [
        { field: 'movers.1.name', value: '王小茗' },
        { field: 'movers.0.education', value: '10' },
      ],
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(kinds(result.problems)).toEqual(['not-returned:movers.0.education']);
  });

  it('lists a returned field left as it was (or not sent) as unchanged', () => {
    const result = applyCorrections(
      form,
      facts,
      ['movers.1.name', 'fromDivision'],
      [{ field: 'movers.1.name', value: '王小名' }],
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(kinds(result.problems)).toEqual(['unchanged:movers.1.name', 'unchanged:fromDivision']);
  });

  it('checks the new value by the form rules, naming the field', () => {
    const bad = applyCorrections(
      form,
      facts,
      ['movers.1.ethnicity', 'fromDivision'],
      [
        { field: 'movers.1.ethnicity', value: '99x' },
        { field: 'fromDivision', value: '36' },
      ],
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.every((p) => p.kind === 'invalid')).toBe(true);
      expect(kinds(bad.problems).sort()).toEqual(['invalid:fromDivision', 'invalid:movers.1.ethnicity']);
    }
    const answer = applyCorrections(
      form,
      facts,
      ['facts.residence.type'],
      [{ field: 'facts.residence.type', value: 'castle' }],
    );
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(kinds(answer.problems)).toEqual(['invalid:facts.residence.type']);
  });

  it('a corrected citizen id brings its sex and date of birth, and the applicant follows the first mover', () => {
    const newId = composeCitizenId('360102', '1991-07-08', 13);
    const result = applyCorrections(
      form,
      facts,
      ['movers.0.citizenId'],
      [{ field: 'movers.0.citizenId', value: newId }],
    );
    expect(result.ok).toBe(true);
    if (!result.ok || result.form.kind !== 'settlement') return;
    expect(result.form.applicant.citizenId).toBe(newId);
    expect(result.form.movers[0]).toMatchObject({ citizenId: newId, birthDate: '1991-07-08', sex: '1' });
    expect(result.changes[0]?.afterText.zh).not.toContain('1991');
  });

  it('a new destination in another county is refused: a correction does not change the office', () => {
    const result = applyCorrections(
      form,
      facts,
      ['destination'],
      [
        {
          field: 'destination',
          value: { newHousehold: { address: { text: '某路 1 号', countyCode: '330803' } } },
        },
      ],
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        { kind: 'other-county', field: 'destination', from: '330802', to: '330803' },
      ]);
    const moved = applyCorrections(
      form,
      facts,
      ['destination'],
      [
        {
          field: 'destination',
          value: { newHousehold: { address: { text: '荷花街道 8 号', countyCode: '330802' } } },
        },
      ],
    );
    expect(moved.ok).toBe(true);
    if (moved.ok) expect(moved.changes[0]?.afterText.zh).toContain('荷花街道 8 号');
  });

  it('says values in words', () => {
    expect(fieldValueText('movers.0.ethnicity', '01').zh).toBe('汉族');
    expect(fieldValueText('movers.0.ethnicity', null).zh).toBe('不详');
    expect(fieldValueText('movers.0.citizenId', applicantId).zh).not.toContain('19900506');
  });
});
