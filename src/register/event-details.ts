/**
 * What a person's history shows of a ledger event beyond its type and date: where a move-in came from
 * (迁出地, with the name the ledger kept), the online application it completes, and the policy article
 * the approval rests on. Pure: read from the event's payload as recorded.
 */
import { findDivision } from '../standards/divisions.js';
import { maskBirthDate, maskIfBirthDate } from '../standards/masking.js';

/** Ledger events whose effective date is, or may be, someone's birth date (an import's: the earliest
 * member since, by default a birth date, maybe another member's). */
const BIRTH_DATED_EVENTS: ReadonlySet<string> = new Set(['birth-registration', 'household-import']);

/**
 * An event's effective date as a history shown with masked ids shows it (docs/adr/0014): year and month
 * when it is, or may be, a birth date.
 * @example shownEffectiveDate({ type: 'birth-registration', effectiveDate: '2020-05-06' }, '2020-05-06') // '2020-05'
 */
export function shownEffectiveDate(
  event: { readonly type: string; readonly effectiveDate: string },
  personBirthDate: string,
): string {
  return BIRTH_DATED_EVENTS.has(event.type)
    ? maskBirthDate(event.effectiveDate)
    : maskIfBirthDate(event.effectiveDate, personBirthDate);
}

export interface EventDetails {
  readonly fromDivision?: { readonly code: string; readonly name: string };
  readonly sourceApplication?: string;
  readonly basis?: { readonly article: string; readonly quote: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * @example eventDetailsOf({ type: 'move-in', sourceApplication: 'SQ…', payload: { fromDivision: '360102', … } })
 * // { fromDivision: { code: '360102', name: '江西省南昌市东湖区' }, sourceApplication: 'SQ…' }
 */
export function eventDetailsOf(event: {
  readonly type: string;
  readonly sourceApplication: string | null;
  readonly payload: unknown;
}): EventDetails {
  const payload = isRecord(event.payload) ? event.payload : {};
  const details: {
    fromDivision?: EventDetails['fromDivision'];
    sourceApplication?: string;
    basis?: EventDetails['basis'];
  } = {};
  if (event.sourceApplication) details.sourceApplication = event.sourceApplication;
  if (event.type === 'move-in' && typeof payload.fromDivision === 'string') {
    const code = payload.fromDivision;
    // Events recorded before the name was kept: the code's name from the division tables.
    const division = findDivision(code);
    const name =
      typeof payload.fromDivisionName === 'string'
        ? payload.fromDivisionName
        : division
          ? [...division.path.map((p) => p.name), division.name].join('')
          : code;
    details.fromDivision = { code, name };
  }
  const basis = payload.basis;
  if (isRecord(basis) && typeof basis.article === 'string' && typeof basis.quote === 'string')
    details.basis = { article: basis.article, quote: basis.quote };
  return details;
}
