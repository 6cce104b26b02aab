import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applicationTypesFor, findApplicationType, type ApplicationType } from './application-types.js';
import {
  buildReturnNotice,
  checkCompleteness,
  outstandingChanges,
  type UploadedMaterial,
} from './completeness.js';
import { loadPolicy } from './testing/policies.js';

const policy = loadPolicy('quzhou-2017-final');
const catalogue = (() => {
  const r = applicationTypesFor(policy);
  if (!r.isValid) throw new Error('catalogue');
  return r.catalogue;
})();
const typeOf = (id: string): ApplicationType => {
  const t = findApplicationType(catalogue, id);
  if (!t) throw new Error(id);
  return t;
};
const talent = typeOf('settlement/talent');
const investor = typeOf('settlement/investor');

describe('completeness (一次办理)', () => {
  it('lists every missing material at once, in checklist order', () => {
    const report = checkCompleteness(investor, []);
    expect(report.isComplete).toBe(false);
    expect(report.missing.map((c) => c.kind === 'missing' && c.label.zh)).toEqual([
      '居民身份证、居民户口簿',
      '营业执照、验资或出资证明',
      '企业出具的任职证明',
    ]);
    expect(report.missing.every((c) => c.kind === 'missing' && c.article === 'qz-final/3')).toBe(true);
  });

  it('is complete when every material has a usable upload', () => {
    const uploads: UploadedMaterial[] = talent.materials.map((m) => ({ key: m.key, status: 'pending' }));
    expect(checkCompleteness(talent, uploads)).toMatchObject({ isComplete: true, missing: [], toRedo: [] });
  });

  it('asks to redo a material whose every upload was rejected, with the reasons', () => {
    const report = checkCompleteness(talent, [
      { key: 'talent#0', status: 'accepted' },
      { key: 'talent#1', status: 'rejected', rejection: { zh: '照片模糊', en: 'blurred' } },
      { key: 'talent#1', status: 'rejected', rejection: { zh: '缺少第二页', en: 'page 2 missing' } },
      { key: 'stray', status: 'pending' },
    ]);
    expect(report.toRedo).toEqual([
      expect.objectContaining({
        kind: 'redo',
        material: 'talent#1',
        reason: { zh: '照片模糊；缺少第二页', en: 'blurred; page 2 missing' },
      }),
    ]);
    expect(report.unexpected).toEqual(['stray']);
  });

  it('property: every checklist material is either usable, missing or to redo — never silently dropped', () => {
    const keys = investor.materials.map((m) => m.key);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.constantFrom(...keys, 'other'),
            status: fc.constantFrom('pending', 'accepted', 'rejected' as const),
          }),
          { maxLength: 8 },
        ),
        (uploads) => {
          const report = checkCompleteness(investor, uploads);
          const listed = [...report.missing, ...report.toRedo].map((c) =>
            c.kind === 'correction' || c.kind === 'field' ? '' : c.material,
          );
          for (const key of keys) {
            const usable = uploads.some((u) => u.key === key && u.status !== 'rejected');
            expect(listed.includes(key)).toBe(!usable);
          }
          expect(report.isComplete).toBe(listed.length === 0);
        },
      ),
    );
  });
});

describe('return notice', () => {
  it('lists everything that must change: missing, unusable and the officer items together', () => {
    const notice = buildReturnNotice(
      talent,
      [
        { key: 'talent#0', status: 'accepted' },
        { key: 'talent#1', status: 'rejected', rejection: { zh: '证书过期', en: 'expired' } },
      ],
      [
        {
          kind: 'correction',
          label: { zh: '居住地址', en: 'address' },
          reason: { zh: '门牌号缺失', en: 'no house number' },
        },
      ],
      policy,
    );
    expect(notice.isValid).toBe(true);
    if (notice.isValid) expect(notice.changes.map((c) => c.kind)).toEqual(['redo', 'correction']);
  });

  it('an officer may ask to redo a listed material but not demand one off the checklist', () => {
    const uploads = talent.materials.map((m) => ({ key: m.key, status: 'accepted' as const }));
    const ok = buildReturnNotice(talent, uploads, [
      { kind: 'redo', material: 'talent#0', reason: { zh: '身份证已过期', en: 'ID card expired' } },
    ]);
    expect(ok.isValid && ok.changes).toEqual([
      expect.objectContaining({ kind: 'redo', material: 'talent#0' }),
    ]);
    const off = buildReturnNotice(talent, uploads, [
      { kind: 'redo', material: 'bank-statement', reason: { zh: '补充', en: 'add' } },
    ]);
    expect(off).toEqual({
      isValid: false,
      problems: [{ kind: 'not-on-checklist', material: 'bank-statement' }],
    });
  });

  it('never demands giving up land rights, whatever the officer writes', () => {
    const uploads = talent.materials.map((m) => ({ key: m.key, status: 'accepted' as const }));
    for (const reason of [
      { zh: '请提交宅基地退出协议', en: 'please provide the homestead exit agreement' },
      { zh: '须先放弃土地承包经营权', en: 'must first give up the land contract' },
    ]) {
      const notice = buildReturnNotice(
        talent,
        uploads,
        [{ kind: 'correction', label: { zh: '其他', en: 'other' }, reason }],
        policy,
      );
      expect(notice.isValid).toBe(false);
      if (!notice.isValid)
        expect(notice.problems[0]).toMatchObject({
          kind: 'forbidden-demand',
          demand: { kind: 'land-rights', article: 'qz-draft/2.5.1' },
        });
    }
    const redo = buildReturnNotice(
      talent,
      uploads,
      [{ kind: 'redo', material: 'talent#0', reason: { zh: '附上交回承包地证明', en: 'attach proof' } }],
      loadPolicy('lanzhou-2017'),
    );
    expect(!redo.isValid && redo.problems[0]).toMatchObject({ demand: { article: 'lz/2.5' } });
  });

  it('property: no return notice that is valid carries a forbidden demand', () => {
    const words = [
      '宅基地退出',
      '放弃承包地',
      '身份证',
      '户口簿复印件',
      '门牌号',
      'homestead surrender',
      'address',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), (picked) => {
        const notice = buildReturnNotice(
          talent,
          [],
          picked.map((w) => ({ kind: 'correction', label: { zh: w, en: w }, reason: { zh: w, en: w } })),
          policy,
        );
        const forbidden = picked.some((w) => /宅基地退出|放弃承包地|homestead surrender/.test(w));
        expect(notice.isValid).toBe(!forbidden);
      }),
    );
  });

  it('a return with nothing to change is refused', () => {
    const uploads = talent.materials.map((m) => ({ key: m.key, status: 'accepted' as const }));
    expect(buildReturnNotice(talent, uploads)).toEqual({
      isValid: false,
      problems: [{ kind: 'nothing-to-change' }],
    });
  });

  it('knows which items of a return are still unanswered', () => {
    const notice = buildReturnNotice(talent, []);
    if (!notice.isValid) throw new Error('notice');
    expect(
      outstandingChanges(notice.changes, [{ key: 'talent#0', status: 'pending' }]).map(
        (c) => c.kind === 'missing' && c.material,
      ),
    ).toEqual(['talent#1']);
    expect(
      outstandingChanges(
        notice.changes,
        talent.materials.map((m) => ({ key: m.key, status: 'pending' as const })),
      ),
    ).toEqual([]);
  });
});

describe('papers of followers (随迁) only when followers move', () => {
  const legal = typeOf('settlement/legal-residence');
  const followersPaper = legal.materials.find((m) => m.label.zh.includes('随迁'));
  const others = legal.materials.filter((m) => m !== followersPaper);
  const uploads: UploadedMaterial[] = others.map((m) => ({ key: m.key, status: 'accepted' }));

  it('the policy lists a paper of followers for legal-residence (the premise of these tests)', () => {
    expect(followersPaper?.label.zh).toBe('随迁人员的结婚证、出生医学证明等关系证明');
  });

  it('does not ask for it when the applicant moves alone', () => {
    const report = checkCompleteness(legal, uploads, { followerRelationships: [] });
    expect(report).toMatchObject({ isComplete: true, missing: [] });
  });

  it('asks for it when a spouse or a child follows', () => {
    for (const code of ['10', '20', '30']) {
      const report = checkCompleteness(legal, uploads, { followerRelationships: [code] });
      expect(report.missing.map((c) => c.kind === 'missing' && c.material)).toEqual([followersPaper?.key]);
    }
  });

  it('asks for it when the household is not known (the check before submitting)', () => {
    expect(checkCompleteness(legal, uploads).isComplete).toBe(false);
  });

  it('a paper of children is asked only when a child moves', () => {
    const type = {
      materials: [{ key: 'c', label: { zh: '随迁子女出生医学证明', en: 'birth certificates' } }],
    } as unknown as Pick<ApplicationType, 'materials'>;
    expect(checkCompleteness(type, [], { followerRelationships: ['10'] }).isComplete).toBe(true);
    expect(checkCompleteness(type, [], { followerRelationships: ['10', '20'] }).isComplete).toBe(false);
    expect(checkCompleteness(type, [], { followerRelationships: ['31'] }).isComplete).toBe(false);
  });

  it('a return for materials does not list a paper of followers who are not there', () => {
    const notice = buildReturnNotice(legal, [], [], undefined, { followerRelationships: [] });
    expect(notice.isValid && notice.changes.map((c) => c.kind === 'missing' && c.material)).not.toContain(
      followersPaper?.key,
    );
  });
});
