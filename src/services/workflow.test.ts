import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../accounts/roles.js';
import { loadPolicy } from './testing/policies.js';
import {
  allowedActions,
  APPLICATION_ACTION_LABELS,
  APPLICATION_ACTIONS,
  APPLICATION_STATE_LABELS,
  APPLICATION_STATES,
  availableActions,
  FINAL_STATES,
  foldApplication,
  submitApplication,
  transition,
  TRANSITIONS,
  type Actor,
  type Application,
  type ApplicationAction,
  type ApplicationEvent,
  type RuleCitation,
  type TransitionResult,
} from './workflow.js';

const policy = loadPolicy('quzhou-2017-final');
const applicant: Actor = { kind: 'applicant', id: 'resident-1' };
const officer = (role: Role, countyCode = '330802'): Actor => ({
  kind: 'officer',
  id: `${role}-1`,
  roles: [role],
  countyCode,
});
const clerk = officer('window-clerk');
const reviewer = officer('reviewer');
const approver = officer('approver');
const registrar = officer('registrar');

const T0 = new Date('2025-09-26T02:00:00Z'); // Friday 10:00 in China
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

function submit(needsCountyApproval = false) {
  return submitApplication(
    {
      id: 'app-1',
      typeId: needsCountyApproval ? 'settlement/special-talent' : 'settlement/talent',
      needsCountyApproval,
      countyCode: '330802',
      workingDays: needsCountyApproval ? 30 : 20,
    },
    { kind: 'applicant', id: 'resident-1' },
    T0,
  );
}

/** Applies steps, failing the test on any refusal; returns the application and every event. */
function run(start: ReturnType<typeof submit>, steps: [ApplicationAction, Actor, Date?][]) {
  let application = start.application;
  const events: ApplicationEvent[] = [...start.events];
  for (const [i, [action, actor, at]] of steps.entries()) {
    const r = transition(application, action, actor, at ?? day(i + 1), policy);
    if (!r.ok) throw new Error(`step ${i} ${action.type}: ${JSON.stringify(r.refusal)}`);
    application = r.application;
    events.push(...r.events);
  }
  return { application, events };
}

const citation: RuleCitation = {
  article: 'qz-final/3',
  quote: '投资兴办企业，投资金额达10万元以上',
  explanation: { zh: '投资额不足10万元', en: 'the investment is below 100,000 yuan' },
};

const refusalOf = (r: TransitionResult) => (r.ok ? undefined : r.refusal);

describe('transition table', () => {
  it('labels every state and action in Chinese and English', () => {
    for (const s of APPLICATION_STATES) expect(APPLICATION_STATE_LABELS[s].zh).toMatch(/\p{Script=Han}/u);
    for (const a of APPLICATION_ACTIONS) expect(APPLICATION_ACTION_LABELS[a].zh).toMatch(/\p{Script=Han}/u);
  });

  it('names only known roles, leads only to known states, and final states allow nothing', () => {
    for (const state of APPLICATION_STATES) {
      for (const rule of Object.values(TRANSITIONS[state])) {
        expect(APPLICATION_STATES).toContain(rule.to);
        for (const p of rule.by) expect(['applicant', ...ROLES]).toContain(p);
      }
    }
    for (const state of FINAL_STATES) expect(Object.keys(TRANSITIONS[state])).toEqual([]);
  });

  it('lets the applicant withdraw exactly in the states before a decision', () => {
    const withdrawable = APPLICATION_STATES.filter((s) => 'withdraw' in TRANSITIONS[s]);
    expect(withdrawable).toEqual(['submitted', 'returned', 'accepted', 'reviewed', 'county-approval']);
  });

  it('reaches every state from submitted', () => {
    const seen = new Set<string>(['submitted']);
    const queue = ['submitted'] as (keyof typeof TRANSITIONS)[];
    while (queue.length) {
      const s = queue.shift() as keyof typeof TRANSITIONS;
      for (const rule of Object.values(TRANSITIONS[s]))
        if (!seen.has(rule.to)) {
          seen.add(rule.to);
          queue.push(rule.to);
        }
    }
    expect([...seen].sort()).toEqual([...APPLICATION_STATES].sort());
  });
});

describe('transition', () => {
  it('goes submitted → accepted → reviewed → approved → done, and the events fold to the same application', () => {
    const { application, events } = run(submit(), [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'approve' }, reviewer],
      [{ type: 'approve' }, approver],
      [{ type: 'complete' }, registrar],
    ]);
    expect(application.state).toBe('done');
    expect(application.version).toBe(5);
    expect(application.clock.stoppedOn).toBe('2025-09-30');
    expect(foldApplication(events)).toEqual(application);
    expect(events.map((e) => (e.type === 'application.transitioned' ? `${e.from}>${e.to}` : e.type))).toEqual(
      [
        'application.submitted',
        'submitted>accepted',
        'accepted>reviewed',
        'reviewed>approved',
        'approved>done',
      ],
    );
  });

  it('adds the county-government step where the type needs it, and only there', () => {
    const county = submit(true);
    const reviewed = run(county, [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'approve' }, reviewer],
    ]).application;
    expect(refusalOf(transition(reviewed, { type: 'approve' }, approver, day(3)))).toMatchObject({
      code: 'HUJI_APPLICATION_TRANSITION',
      status: 409,
      allowed: ['refer-to-county', 'refuse', 'withdraw'],
    });
    const done = run({ application: reviewed, events: [] }, [
      [{ type: 'refer-to-county' }, approver],
      [{ type: 'record-county-approval', document: '柯政函〔2025〕12号' }, approver],
      [{ type: 'complete' }, registrar],
    ]).application;
    expect(done).toMatchObject({ state: 'done', countyApprovalDocument: '柯政函〔2025〕12号' });

    const plain = run(submit(), [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'approve' }, reviewer],
    ]).application;
    expect(refusalOf(transition(plain, { type: 'refer-to-county' }, approver, day(3)))?.code).toBe(
      'HUJI_APPLICATION_TRANSITION',
    );
  });

  it('returns for materials with the list of changes, pauses the clock, and resumes on resubmission', () => {
    const changes = [
      { kind: 'missing', material: 'talent#1', label: { zh: '学历证书', en: 'diploma' } },
    ] as const;
    const returned = run(submit(), [[{ type: 'return', changes }, clerk, day(3)]]).application;
    expect(returned).toMatchObject({ state: 'returned', requiredChanges: changes });
    expect(returned.clock.pauses).toEqual([{ from: '2025-09-29', to: null }]);
    const back = run({ application: returned, events: [] }, [[{ type: 'resubmit' }, applicant, day(20)]]);
    expect(back.application.state).toBe('submitted');
    expect(back.application.clock.pauses).toEqual([{ from: '2025-09-29', to: '2025-10-16' }]);
  });

  it('refuses a return with nothing to change or a land-rights demand', () => {
    const { application } = submit();
    expect(refusalOf(transition(application, { type: 'return', changes: [] }, clerk, day(1)))).toMatchObject({
      code: 'HUJI_APPLICATION_RETURN_EMPTY',
      status: 422,
    });
    const r = transition(
      application,
      {
        type: 'return',
        changes: [
          { kind: 'correction', label: { zh: '其他', en: 'other' }, reason: { zh: '请交回承包地', en: 'x' } },
        ],
      },
      clerk,
      day(1),
      policy,
    );
    expect(refusalOf(r)).toMatchObject({
      code: 'HUJI_APPLICATION_FORBIDDEN_DEMAND',
      demand: { article: 'qz-draft/2.5.1' },
    });
  });

  it('refuses only with a reason citing a rule: a digest article of the policy and its quoted sentence', () => {
    const reviewed = run(submit(), [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'refuse' }, reviewer],
    ]).application;
    const attempt = (reason: RuleCitation) =>
      refusalOf(transition(reviewed, { type: 'refuse', reason }, approver, day(3), policy));
    expect(attempt({ ...citation, article: 'qz-final/99' })).toMatchObject({ problem: 'unknown-article' });
    expect(attempt({ ...citation, article: 'lz/2.11' })).toMatchObject({ problem: 'article-not-in-policy' });
    expect(attempt({ ...citation, quote: '投资金额达5万元以上' })).toMatchObject({
      problem: 'quote-not-in-article',
    });
    expect(attempt({ ...citation, quote: ' ' })).toMatchObject({ problem: 'empty', status: 422 });
    const ok = transition(reviewed, { type: 'refuse', reason: citation }, approver, day(3), policy);
    expect(ok.ok && ok.application).toMatchObject({ state: 'refused', refusal: citation });
  });

  it('lets the window clerk decline to accept (不予受理) only before acceptance, citing a rule, and ends the application', () => {
    const submitted = submit().application;
    const declined = transition(submitted, { type: 'decline', reason: citation }, clerk, day(1), policy);
    expect(declined.ok && declined.application).toMatchObject({
      state: 'not-accepted',
      refusal: citation,
      clock: { stoppedOn: '2025-09-27' },
    });
    expect(APPLICATION_STATE_LABELS['not-accepted'].zh).toBe('不予受理');
    expect(FINAL_STATES).toContain('not-accepted');
    // Not without a rule, not by anyone else, not after acceptance, and nothing follows it.
    expect(
      refusalOf(
        transition(
          submitted,
          { type: 'decline', reason: { ...citation, quote: '无' } },
          clerk,
          day(1),
          policy,
        ),
      ),
    ).toMatchObject({ code: 'HUJI_APPLICATION_CITATION', problem: 'quote-not-in-article' });
    expect(
      refusalOf(transition(submitted, { type: 'decline', reason: citation }, reviewer, day(1), policy)),
    ).toMatchObject({ code: 'HUJI_APPLICATION_ROLE', status: 403 });
    const accepted = run(submit(), [[{ type: 'accept' }, clerk]]).application;
    expect(
      refusalOf(transition(accepted, { type: 'decline', reason: citation }, clerk, day(2), policy)),
    ).toMatchObject({
      code: 'HUJI_APPLICATION_TRANSITION',
      status: 409,
    });
    expect(declined.ok && allowedActions(declined.application)).toEqual([]);
  });

  it('checks the justification of an approval against the engine by the same rule as a refusal', () => {
    const reviewed = run(submit(), [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'approve' }, reviewer],
    ]).application;
    const invented = transition(
      reviewed,
      { type: 'approve', justification: { ...citation, quote: '投资金额达5万元以上' } },
      approver,
      day(3),
      policy,
    );
    expect(refusalOf(invented)).toMatchObject({
      code: 'HUJI_APPLICATION_CITATION',
      problem: 'quote-not-in-article',
    });
    const ok = transition(reviewed, { type: 'approve', justification: citation }, approver, day(3), policy);
    expect(ok.ok && ok.application.state).toBe('approved');
    expect(ok.ok && ok.events[0]).toMatchObject({ action: { type: 'approve', justification: citation } });
  });

  it('lets the applicant withdraw before a decision, never after', () => {
    const { application } = submit();
    expect(transition(application, { type: 'withdraw' }, applicant, day(1)).ok).toBe(true);
    const approved = run(submit(), [
      [{ type: 'accept' }, clerk],
      [{ type: 'review', recommendation: 'approve' }, reviewer],
      [{ type: 'approve' }, approver],
    ]).application;
    expect(refusalOf(transition(approved, { type: 'withdraw' }, applicant, day(4)))?.code).toBe(
      'HUJI_APPLICATION_TRANSITION',
    );
  });

  it('checks who acts: role (403), state (409), jurisdiction and ownership (404)', () => {
    const { application } = submit();
    expect(refusalOf(transition(application, { type: 'approve' }, clerk, day(1)))).toMatchObject({
      code: 'HUJI_APPLICATION_ROLE',
      status: 403,
      needs: ['approver'],
    });
    expect(refusalOf(transition(application, { type: 'withdraw' }, clerk, day(1)))?.code).toBe(
      'HUJI_APPLICATION_ROLE',
    );
    expect(refusalOf(transition(application, { type: 'approve' }, approver, day(1)))?.status).toBe(409);
    expect(
      refusalOf(transition(application, { type: 'return', changes: [] }, reviewer, day(1)))?.status,
    ).toBe(409);
    expect(
      refusalOf(transition(application, { type: 'accept' }, officer('window-clerk', '330803'), day(1))),
    ).toEqual({
      code: 'HUJI_APPLICATION_NOT_FOUND',
      status: 404,
    });
    expect(transition(application, { type: 'accept' }, officer('window-clerk', '330800'), day(1)).ok).toBe(
      true,
    );
    expect(
      refusalOf(transition(application, { type: 'withdraw' }, { kind: 'applicant', id: 'x' }, day(1)))
        ?.status,
    ).toBe(404);
  });

  it('lists what an actor may do now', () => {
    const { application } = submit();
    expect(allowedActions(application)).toEqual(['accept', 'return', 'decline', 'withdraw']);
    expect(availableActions(application, clerk)).toEqual(['accept', 'return', 'decline']);
    expect(availableActions(application, applicant)).toEqual(['withdraw']);
    expect(availableActions(application, officer('window-clerk', '620102'))).toEqual([]);
  });
});

const actors: Actor[] = [
  applicant,
  { kind: 'applicant', id: 'other' },
  ...ROLES.map((r) => officer(r)),
  officer('approver', '330803'),
];
const actionArb: fc.Arbitrary<ApplicationAction> = fc.oneof(
  fc.constant({ type: 'accept' } as const),
  fc.constant({
    type: 'return',
    changes: [{ kind: 'missing', material: 'talent#0', label: { zh: '身份证', en: 'ID card' } }],
  } as const),
  fc.constant({ type: 'resubmit' } as const),
  fc.constant({ type: 'review', recommendation: 'approve' } as const),
  fc.constant({ type: 'refer-to-county' } as const),
  fc.constant({ type: 'record-county-approval', document: 'doc' } as const),
  fc.constant({ type: 'approve' } as const),
  fc.constantFrom<ApplicationAction>(
    { type: 'refuse', reason: citation },
    { type: 'refuse', reason: { ...citation, article: 'nope/1' } },
    { type: 'decline', reason: citation },
  ),
  fc.constant({ type: 'complete' } as const),
  fc.constant({ type: 'withdraw' } as const),
);

const SAMPLE: Record<string, ApplicationAction> = {
  accept: { type: 'accept' },
  return: {
    type: 'return',
    changes: [{ kind: 'missing', material: 'talent#0', label: { zh: '身份证', en: 'ID card' } }],
  },
  resubmit: { type: 'resubmit' },
  review: { type: 'review', recommendation: 'approve' },
  'refer-to-county': { type: 'refer-to-county' },
  'record-county-approval': { type: 'record-county-approval', document: 'doc' },
  approve: { type: 'approve' },
  refuse: { type: 'refuse', reason: citation },
  decline: { type: 'decline', reason: citation },
  complete: { type: 'complete' },
  withdraw: { type: 'withdraw' },
};

describe('workflow properties', () => {
  /** Random walks through the table; `reached` collects the states they get to. */
  const walks = (reached: Set<string>) =>
    fc.property(
      fc.boolean(),
      fc.array(
        fc.tuple(
          actionArb,
          fc.constantFrom(...actors),
          fc.integer({ min: 0, max: 5 }),
          fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
          fc.nat(),
        ),
        { maxLength: 30 },
      ),
      (county, steps) => {
        const start = submit(county);
        let application: Application = start.application;
        const events = [...start.events];
        let at = T0.getTime();
        for (const [randomAction, randomActor, days, pickValid, pick] of steps) {
          // Most steps are drawn among the moves some actor may make, so deep states are reached.
          const valid = actors.flatMap((a) =>
            availableActions(application, a).map((t) => [SAMPLE[t]!, a] as const),
          );
          const [action, actor] =
            pickValid && valid.length > 0 ? valid[pick % valid.length]! : [randomAction, randomActor];
          at += days * 86_400_000;
          const before = application.state;
          const r = transition(application, action, actor, new Date(at), policy);
          if (!r.ok) {
            expect(application.state).toBe(before);
            expect(valid.some(([v, a]) => v === action && a === actor)).toBe(false);
            continue;
          }
          reached.add(r.application.state);
          const rule = (TRANSITIONS[before] as Record<string, { to: string; by: readonly string[] }>)[
            action.type
          ];
          expect(rule?.to).toBe(r.application.state);
          expect(APPLICATION_STATES).toContain(r.application.state);
          expect(rule?.by).toContain(actor.kind === 'applicant' ? 'applicant' : actor.roles[0]);
          if (action.type === 'withdraw')
            expect(['approved', 'done', 'refused', 'withdrawn']).not.toContain(before);
          if (action.type === 'approve') expect(county).toBe(false);
          if (action.type === 'refer-to-county') expect(county).toBe(true);
          if (r.application.state === 'refused') expect(r.application.refusal?.article).toBe('qz-final/3');
          application = r.application;
          events.push(...r.events);
        }
        expect(foldApplication(events)).toEqual(application);
        expect(application.version).toBe(events.length);
        if ((FINAL_STATES as readonly string[]).includes(application.state))
          expect(application.clock.stoppedOn).toBeDefined();
        const paused = application.clock.pauses.filter((p) => p.to === null).length;
        expect(paused).toBe(application.state === 'returned' ? 1 : 0);
      },
    );

  it('no sequence of actions leaves the table; every step is a table entry; the events fold to the state', () => {
    fc.assert(walks(new Set()), { numRuns: 500 });
  });

  it('the walks go everywhere the table goes (fixed seed, so the coverage claim is not left to chance)', () => {
    const reached = new Set<string>();
    fc.assert(walks(reached), { numRuns: 500, seed: 20251020 });
    expect([...reached].sort()).toEqual([...APPLICATION_STATES].sort());
  });
});
