import { describe, expect, it } from 'vitest';
import { notificationsFor, rolesActingIn, statesAwaiting } from './notifications.js';
import type { ApplicationEvent } from './workflow.js';

const ctx = {
  reference: 'SQ20261202000001',
  typeLabel: { zh: '落户：合法稳定住所', en: 'Settlement: legal stable residence' },
  countyCode: '330802',
  applicantId: 'demo-phone:13900000001',
  deadline: '2026-12-30',
};

describe('notifications of an application', () => {
  it('tell the applicant (with an SMS) and the window clerks of the county on submission', () => {
    const event: ApplicationEvent = {
      type: 'application.submitted',
      at: '2026-12-02T02:00:00.000Z',
      actor: { kind: 'applicant', id: ctx.applicantId },
      application: {
        id: 'a',
        typeId: 't',
        needsCountyApproval: false,
        countyCode: '330802',
        workingDays: 20,
      },
    };
    const drafts = notificationsFor(event, ctx);
    expect(drafts.map((d) => d.recipient)).toEqual([ctx.applicantId, 'window-clerk@330802']);
    expect(drafts[0]?.sms).toBe(
      '【户籍业务】您的“落户：合法稳定住所”申请已提交，受理编号 SQ20261202000001，办理时限至 2026-12-30。',
    );
    expect(drafts[1]?.body.zh).toContain('待受理或退回补正');
  });

  it('give a refusal its cited article and quoted sentence', () => {
    const event: ApplicationEvent = {
      type: 'application.transitioned',
      at: '2026-12-10T02:00:00.000Z',
      actor: { kind: 'officer', id: 'o', roles: ['approver'] },
      action: {
        type: 'refuse',
        reason: {
          article: 'qz-final/1',
          quote: '有合法稳定住所（含租赁）的人员',
          explanation: { zh: '住所不在建制镇', en: 'not in a town' },
        },
      },
      from: 'reviewed',
      to: 'refused',
    };
    const [mine, ...others] = notificationsFor(event, ctx);
    expect(mine?.body.zh).toContain('依据 qz-final/1：“有合法稳定住所（含租赁）的人员”');
    expect(others).toEqual([]); // nobody acts on a refused application
  });

  it('know whose turn each state is', () => {
    expect(rolesActingIn('accepted')).toEqual(['reviewer']);
    expect(rolesActingIn('approved')).toEqual(['registrar']);
    expect(rolesActingIn('returned')).toEqual([]);
  });
});

describe('statesAwaiting', () => {
  it('names the states where each office role acts, none for roles outside the workflow', () => {
    expect(statesAwaiting('window-clerk')).toEqual(['submitted']);
    expect(statesAwaiting('reviewer')).toEqual(['accepted']);
    expect(statesAwaiting('approver')).toEqual(['reviewed', 'county-approval']);
    expect(statesAwaiting('registrar')).toEqual(['approved']);
    expect(statesAwaiting('reform-office')).toEqual([]);
  });
});
