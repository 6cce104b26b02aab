/**
 * What the public verify page discloses about a genuine document beyond kind, office, dates and number
 * (ADR 0019): enough for whoever holds the paper to compare it with what was issued — the masked name of
 * the person it is about (family name + `*`) and the document's key facts — and nothing that identifies
 * a person to whoever holds only the QR code: never a full name, a citizen id (not even masked), a birth
 * date, an address, a household number or a phone number, nor a refusal's reasons.
 *
 * Pure: it reads the input a document was rendered from (issued_document.input), as stored.
 */
import type { DocumentKind } from '../documents/document-token.js';
import { codeLabel } from '../standards/code-tables.js';
import { findDivision } from '../standards/divisions.js';
import { maskName } from '../standards/masking.js';

/** One line of the verify page: a label and the value, each in both languages. */
export interface VerifyFact {
  readonly key: string;
  readonly label: { readonly zh: string; readonly en: string };
  readonly value: { readonly zh: string; readonly en: string };
}

const LABELS = {
  name: { zh: '姓名（部分隐藏）', en: 'Name (partly hidden)' },
  holder: { zh: '持证人（部分隐藏）', en: 'Holder (partly hidden)' },
  applicant: { zh: '申请人（部分隐藏）', en: 'Applicant (partly hidden)' },
  head: { zh: '户主（部分隐藏）', en: 'Head of household (partly hidden)' },
  movers: { zh: '迁移人（部分隐藏）', en: 'Persons moving (partly hidden)' },
  persons: { zh: '所涉人数', en: 'Persons covered' },
  members: { zh: '户内人数', en: 'Members' },
  asOf: { zh: '登记情况截至', en: 'Register as of' },
  legacyNature: { zh: '原户口性质', en: 'Former hukou nature' },
  reference: { zh: '受理编号', en: 'Application number' },
  applicationType: { zh: '申请事项', en: 'Application' },
  decision: { zh: '决定', en: 'Decision' },
  origin: { zh: '迁出地', en: 'Moving from' },
  destination: { zh: '迁入地', en: 'Moving to' },
  residence: { zh: '居住地', en: 'Place of residence' },
  validFrom: { zh: '有效期自', en: 'Valid from' },
  acceptedOn: { zh: '受理日期', en: 'Accepted on' },
  deadline: { zh: '办结时限', en: 'Decision due by' },
} as const;

const same = (text: string) => ({ zh: text, en: text });

/** A county (or any division) by name and code: 柯城区（330802） / 柯城区 (330802). */
function place(code: unknown): { zh: string; en: string } | undefined {
  if (typeof code !== 'string') return undefined;
  const name = findDivision(code)?.name;
  return name === undefined ? same(code) : { zh: `${name}（${code}）`, en: `${name} (${code})` };
}

/** Reads a path of keys out of stored JSON, or undefined. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

/** The facts a genuine (or expired, or revoked) document shows on the verify page, by kind. */
export function verifyFactsOf(kind: DocumentKind, input: unknown): VerifyFact[] {
  const facts: VerifyFact[] = [];
  const add = (key: keyof typeof LABELS, value: { zh: string; en: string } | string | undefined) => {
    if (value === undefined) return;
    facts.push({ key, label: LABELS[key], value: typeof value === 'string' ? same(value) : value });
  };
  const masked = (value: unknown) => {
    const name = text(value);
    return name === undefined ? undefined : maskName(name);
  };
  const application = () => {
    add('reference', text(at(input, 'referenceNumber')));
    add('applicationType', text(at(input, 'applicationType', 'label')));
  };
  switch (kind) {
    case 'legacy-hukou-nature-proof': {
      add('name', masked(at(input, 'person', 'name')));
      const natures = at(input, 'person', 'legacyHukouNature');
      if (Array.isArray(natures) && natures.length > 0) {
        const types = natures.map((n) => text(at(n, 'type'))).filter((t) => t !== undefined);
        add('legacyNature', {
          zh: types.map((t) => codeLabel('legacy-hukou-type', t, 'zh-CN')).join('、'),
          en: types.map((t) => codeLabel('legacy-hukou-type', t, 'en')).join(', '),
        });
      }
      break;
    }
    case 'household-extract': {
      const members = at(input, 'members');
      const headId = at(input, 'household', 'headPersonId');
      const head: unknown = Array.isArray(members)
        ? (members as unknown[]).find((m) => at(m, 'person', 'id') === headId)
        : undefined;
      add('head', masked(at(head, 'person', 'name')));
      if (Array.isArray(members)) add('members', String(members.length));
      add('asOf', text(at(input, 'asOf')));
      break;
    }
    case 'approval-notice': {
      application();
      add('applicant', masked(at(input, 'applicant', 'name')));
      const others = at(input, 'coApplicants');
      add('persons', String(1 + (Array.isArray(others) ? others.length : 0)));
      // The decision sentence names the persons (准予某某在…登记常住户口): their names masked there too.
      const names = [
        at(input, 'applicant', 'name'),
        ...(Array.isArray(others) ? others : []).map((o) => at(o, 'name')),
      ]
        .filter((n): n is string => typeof n === 'string' && n.length > 0)
        .sort((a, b) => b.length - a.length);
      const decision = text(at(input, 'decision'));
      add(
        'decision',
        decision === undefined
          ? undefined
          : names.reduce((d, n) => d.split(n).join(masked(n) ?? '*'), decision),
      );
      break;
    }
    case 'permit-to-move-in': {
      add('reference', text(at(input, 'referenceNumber')));
      const movers = at(input, 'movers');
      if (Array.isArray(movers)) {
        add('movers', movers.map((m) => masked(at(m, 'name')) ?? '*').join('、'));
        add('persons', String(movers.length));
      }
      add('origin', place(at(input, 'origin', 'countyCode')));
      add('destination', place(at(input, 'destination', 'address', 'countyCode')));
      break;
    }
    case 'residence-permit': {
      add('holder', masked(at(input, 'holder', 'name')));
      add('residence', place(at(input, 'residenceAddress', 'countyCode')));
      add('validFrom', text(at(input, 'validFrom')));
      break;
    }
    case 'acceptance-receipt': {
      application();
      add('applicant', masked(at(input, 'applicant', 'name')));
      add('acceptedOn', text(at(input, 'acceptedOn')));
      add('deadline', text(at(input, 'timeLimit', 'deadline')));
      break;
    }
    case 'refusal-notice': {
      application();
      add('applicant', masked(at(input, 'applicant', 'name')));
      const stage = at(input, 'stage');
      add(
        'decision',
        stage === 'acceptance'
          ? { zh: '不予受理', en: 'Not accepted' }
          : stage === undefined
            ? undefined
            : { zh: '不予批准', en: 'Not approved' },
      );
      break;
    }
    default:
      kind satisfies never;
  }
  return facts;
}
