/**
 * Issues documents from the register — the proof of pre-reform hukou nature (户口性质证明) and the
 * household register extract — with a signed token in their QR code, records what each stated, renders
 * every issued document again (the certificates of online applications too, issued by
 * services/certificates.ts), and verifies tokens for the public verify page (genuine, expired, revoked,
 * forged, malformed).
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbExecutor, HujiDatabase } from '../db/connection.js';
import { rowsOf } from '../db/connection.js';
import { issuedDocument, systemState } from '../db/schema.js';
import { contentHash, type ContentValue } from '../documents/document-content.js';
import {
  createDocumentSigner,
  createDocumentVerifier,
  documentVerifyUrl,
  generateSigningKeys,
  signDocumentToken,
  verifyDocumentToken,
  type CryptoSuite,
  type DocumentJwk,
  type DocumentKind,
  type DocumentSigningKeys,
} from '../documents/document-token.js';
import {
  approvalNoticeTitle,
  renderApprovalNotice,
  type ApprovalNoticeInput,
} from '../documents/approval-notice.js';
import {
  PERMIT_TO_MOVE_IN_TITLE,
  renderPermitToMoveIn,
  type PermitToMoveInInput,
} from '../documents/permit-to-move-in.js';
import {
  RESIDENCE_PERMIT_TITLE,
  renderResidencePermit,
  type ResidencePermitInput,
} from '../documents/residence-permit.js';
import {
  ACCEPTANCE_RECEIPT_TITLE,
  renderAcceptanceReceipt,
  type AcceptanceReceiptInput,
} from '../documents/acceptance-receipt.js';
import {
  REFUSAL_NOTICE_TITLES,
  renderRefusalNotice,
  type RefusalNoticeInput,
} from '../documents/refusal-notice.js';
import {
  HOUSEHOLD_EXTRACT_TITLE,
  householdExtractContent,
  renderHouseholdExtract,
  type HouseholdExtractInput,
} from '../documents/household-extract.js';
import {
  LEGACY_HUKOU_NATURE_PROOF_TITLE,
  legacyHukouNatureProofContent,
  renderLegacyHukouNatureProof,
  type LegacyHukouNatureProofInput,
} from '../documents/legacy-hukou-nature-proof.js';
import { HujiError } from '../errors/huji-error.js';
import { todayInChina } from '../standards/calendar.js';
import { findDivision } from '../standards/divisions.js';
import type { Officer } from './repository.js';
import { householdAt, personAt } from './time-travel.js';
import { verifyFactsOf, type VerifyFact } from './verify-disclosure.js';

/**
 * Where each suite's keys live in system_state. The international key kept its original name, so keys
 * stored before suites were per-suite are still found.
 */
const KEYS_STATE: Readonly<Record<CryptoSuite, string>> = {
  international: 'document-signing-keys',
  gm: 'document-signing-keys:gm',
};

/**
 * The signing keys of a suite, generated on first use. When a deployment switches suite, the first
 * document it issues generates a key of the new suite; the other suite's key stays stored, and
 * documentPublicKeys keeps accepting what it signed. The keys live in the database here; a level-3
 * deployment keeps the private key in a signing device behind the same DocumentSigner interface.
 */
export async function documentKeys(
  db: DbExecutor,
  suite: CryptoSuite = 'international',
): Promise<DocumentSigningKeys> {
  const key = KEYS_STATE[suite];
  const [row] = await db.select().from(systemState).where(eq(systemState.key, key));
  if (row) return row.value as DocumentSigningKeys;
  const keys = generateSigningKeys(suite);
  await db.insert(systemState).values({ key, value: keys }).onConflictDoNothing();
  const [stored] = await db.select().from(systemState).where(eq(systemState.key, key));
  return (stored?.value ?? keys) as DocumentSigningKeys;
}

/** The public keys of every suite this register has signed with; none are generated here. */
export async function documentPublicKeys(db: DbExecutor): Promise<DocumentJwk[]> {
  const rows = await db
    .select()
    .from(systemState)
    .where(inArray(systemState.key, Object.values(KEYS_STATE)));
  return rows.map((r) => (r.value as DocumentSigningKeys).publicJwk);
}

/** The article that ended the agricultural / non-agricultural distinction where the person is registered. */
export function reformArticleFor(countyCode: string): { id: string; quote: string } {
  if (countyCode.startsWith('3308'))
    return { id: 'qz-final/7', quote: '取消户口性质区分统一登记为居民户口。' };
  return {
    id: '国发〔2014〕25号',
    quote: '取消农业户口与非农业户口性质区分和由此衍生的蓝印户口等户口类型，统一登记为居民户口。',
  };
}

export interface IssuedDocument {
  readonly documentId: string;
  readonly kind: DocumentKind;
  readonly token: string;
  readonly verifyUrl: string;
  readonly issuedAt: string;
  /** Last valid day (ISO date, China), for documents with a term. */
  readonly validUntil?: string;
}

/**
 * Signs a document's content with the suite's key and records it, in the caller's transaction. The one
 * place where documents are signed: register documents here, certificates of applications from
 * services/certificates.ts.
 */
export async function recordIssuedDocument(
  tx: DbExecutor,
  doc: {
    id: string;
    kind: DocumentKind;
    personId?: string;
    householdId?: string;
    applicationId?: string;
    /** The renderer's input without verifyUrl, so the same PDF can be rendered again. */
    input: unknown;
    content: ContentValue;
    issuedAt: string;
    /** Code of the issuing office: the county whose officers may fetch the PDF again. */
    issuer: string;
    officerId: string;
    suite: CryptoSuite;
    validUntil?: string;
    baseUrl: string;
  },
): Promise<IssuedDocument> {
  const keys = await documentKeys(tx, doc.suite);
  const hash = contentHash(doc.content);
  const token = await signDocumentToken(createDocumentSigner(keys), {
    documentId: doc.id,
    kind: doc.kind,
    issuedAt: doc.issuedAt,
    subjectHash: hash,
    issuer: doc.issuer,
    ...(doc.validUntil === undefined ? {} : { validUntil: doc.validUntil }),
  });
  await tx.insert(issuedDocument).values({
    id: doc.id,
    kind: doc.kind,
    personId: doc.personId ?? null,
    householdId: doc.householdId ?? null,
    applicationId: doc.applicationId ?? null,
    input: doc.input,
    contentHash: hash,
    token,
    issuedAt: new Date(doc.issuedAt),
    issuerCode: doc.issuer,
    officerId: doc.officerId,
  });
  // Rendered once before the transaction commits: a document whose PDF cannot be drawn (a character no
  // font or encoder takes) is never issued, instead of answering 500 on every later download.
  await assertRenders(tx, doc.id, doc.baseUrl);
  return {
    documentId: doc.id,
    kind: doc.kind,
    token,
    verifyUrl: documentVerifyUrl(doc.baseUrl, token),
    issuedAt: doc.issuedAt,
    ...(doc.validUntil === undefined ? {} : { validUntil: doc.validUntil }),
  };
}

const RENDER_FAILED = { zh: 'PDF 生成失败', en: 'the PDF renderer failed' };

/** Renders a just-recorded document; a failure refuses the issuance (HUJI_DOCUMENT_UNRENDERABLE). */
async function assertRenders(tx: DbExecutor, documentId: string, baseUrl: string): Promise<void> {
  let rendered: Awaited<ReturnType<typeof renderIssuedDocument>>;
  try {
    rendered = await renderIssuedDocument(tx, documentId, baseUrl);
  } catch (error) {
    // The renderer's message may quote the record: it stays in the cause, not in the answer.
    throw new HujiError('HUJI_DOCUMENT_UNRENDERABLE', { detail: RENDER_FAILED }, { cause: error });
  }
  if (!rendered || rendered.pdf.length === 0)
    throw new HujiError('HUJI_DOCUMENT_UNRENDERABLE', { detail: RENDER_FAILED });
}

/** The issuing office of a county's hukou business, as printed when nothing more precise is given. */
export function issuerOf(countyCode: string): { code: string; name: string } {
  return {
    code: countyCode,
    name: `${findDivision(countyCode)?.name ?? countyCode}公安局户籍管理部门`,
  };
}

/** Tokens carry whole seconds; the stored input does too, so a re-render hashes the same. */
export function nowInWholeSeconds(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
}

export async function issueLegacyHukouNatureProof(
  tx: DbExecutor,
  ref: { personId: string; officer: Officer; baseUrl: string; today: string; suite?: CryptoSuite },
): Promise<IssuedDocument> {
  const person = await personAt(tx, ref.personId, ref.today);
  if (!person) throw new HujiError('HUJI_REGISTER_PERSON_UNKNOWN', { ref: ref.personId });
  const [m] = rowsOf<{ household_id: string }>(
    await tx.execute(
      sql`select household_id from membership where person_id = ${person.id} order by valid_to nulls first, valid_from desc limit 1`,
    ),
  );
  const view = m ? await householdAt(tx, { id: m.household_id }, ref.today) : undefined;
  const household = view?.household;
  if (!household) throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: person.id });
  const input: Omit<LegacyHukouNatureProofInput, 'verifyUrl'> = {
    documentId: randomUUID(),
    person,
    household,
    issuer: issuerOf(person.countyCode),
    issuedAt: nowInWholeSeconds(),
    reformArticle: reformArticleFor(person.countyCode),
  };
  return recordIssuedDocument(tx, {
    id: input.documentId,
    kind: 'legacy-hukou-nature-proof',
    personId: person.id,
    householdId: household.id,
    input,
    content: legacyHukouNatureProofContent(input),
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    officerId: ref.officer.id,
    suite: ref.suite ?? 'international',
    baseUrl: ref.baseUrl,
  });
}

export async function issueHouseholdExtract(
  tx: DbExecutor,
  ref: {
    householdId: string;
    asOf: string;
    officer: Officer;
    baseUrl: string;
    maskCitizenIds: boolean;
    suite?: CryptoSuite;
  },
): Promise<IssuedDocument> {
  const view = await householdAt(tx, { id: ref.householdId }, ref.asOf);
  if (!view) throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: ref.householdId });
  const input: Omit<HouseholdExtractInput, 'verifyUrl'> = {
    documentId: randomUUID(),
    household: view.household,
    members: view.members.map((m) => ({ person: m.person, membership: m.membership })),
    asOf: ref.asOf,
    issuer: issuerOf(view.household.address.countyCode),
    issuedAt: nowInWholeSeconds(),
    maskCitizenIds: ref.maskCitizenIds,
  };
  return recordIssuedDocument(tx, {
    id: input.documentId,
    kind: 'household-extract',
    householdId: view.household.id,
    input,
    content: householdExtractContent(input),
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    officerId: ref.officer.id,
    suite: ref.suite ?? 'international',
    baseUrl: ref.baseUrl,
  });
}

/**
 * The county whose officers answer for an issued document (fetch its PDF again, revoke it): the
 * household's for register documents, the issuing county for certificates of applications.
 */
export function documentCountyOf(doc: { kind: DocumentKind; input: unknown; issuerCode: string }): string {
  switch (doc.kind) {
    case 'legacy-hukou-nature-proof':
    case 'household-extract':
      return (doc.input as Pick<HouseholdExtractInput, 'household'>).household.address.countyCode;
    case 'approval-notice':
    case 'permit-to-move-in':
    case 'residence-permit':
    case 'acceptance-receipt':
    case 'refusal-notice':
      return doc.issuerCode;
  }
}

/**
 * Renders an issued document again from what it stated. `householdCounty` is the county whose officers
 * may fetch it: the household's for register documents, the issuing county for certificates.
 * `mayRead` is asked with that county before anything is rendered: a document outside the caller's
 * jurisdiction is undefined, as if unknown, and costs no rendering (nor can a broken one fail for them).
 */
export async function renderIssuedDocument(
  db: DbExecutor,
  documentId: string,
  baseUrl: string,
  mayRead: (householdCounty: string) => boolean = () => true,
): Promise<
  | {
      pdf: Buffer;
      kind: DocumentKind;
      householdCounty: string;
      /** The title the document prints (准予落户通知书, 不予批准决定书 …), for its file name. */
      title: string;
    }
  | undefined
> {
  const [doc] = await db.select().from(issuedDocument).where(eq(issuedDocument.id, documentId));
  if (!doc) return undefined;
  const householdCounty = documentCountyOf(doc);
  if (!mayRead(householdCounty)) return undefined;
  const verifyUrl = documentVerifyUrl(baseUrl, doc.token);
  switch (doc.kind) {
    case 'legacy-hukou-nature-proof': {
      const input = doc.input as Omit<LegacyHukouNatureProofInput, 'verifyUrl'>;
      const pdf = await renderLegacyHukouNatureProof({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: LEGACY_HUKOU_NATURE_PROOF_TITLE };
    }
    case 'household-extract': {
      const input = doc.input as Omit<HouseholdExtractInput, 'verifyUrl'>;
      const pdf = await renderHouseholdExtract({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: HOUSEHOLD_EXTRACT_TITLE };
    }
    case 'approval-notice': {
      const input = doc.input as Omit<ApprovalNoticeInput, 'verifyUrl'>;
      const pdf = await renderApprovalNotice({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: approvalNoticeTitle(input.applicationType.id) };
    }
    case 'permit-to-move-in': {
      const input = doc.input as Omit<PermitToMoveInInput, 'verifyUrl'>;
      const pdf = await renderPermitToMoveIn({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: PERMIT_TO_MOVE_IN_TITLE };
    }
    case 'residence-permit': {
      const input = doc.input as Omit<ResidencePermitInput, 'verifyUrl'>;
      const pdf = await renderResidencePermit({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: RESIDENCE_PERMIT_TITLE };
    }
    case 'acceptance-receipt': {
      const input = doc.input as Omit<AcceptanceReceiptInput, 'verifyUrl'>;
      const pdf = await renderAcceptanceReceipt({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: ACCEPTANCE_RECEIPT_TITLE };
    }
    case 'refusal-notice': {
      const input = doc.input as Omit<RefusalNoticeInput, 'verifyUrl'>;
      const pdf = await renderRefusalNotice({ ...input, verifyUrl });
      return { pdf, kind: doc.kind, householdCounty, title: REFUSAL_NOTICE_TITLES[input.stage] };
    }
  }
}

export type DocumentCheck =
  | {
      /** Genuine and in force; genuine but past its validUntil; genuine but revoked (revoked wins). */
      readonly status: 'genuine' | 'expired' | 'revoked';
      readonly kind: DocumentKind;
      readonly issuedAt: string;
      /** Code of the issuing office, as signed. */
      readonly issuer: string;
      /** Name of the issuing office, as the document printed it. */
      readonly issuerName?: string;
      readonly documentId: string;
      /** Last valid day (ISO date, China), as signed. */
      readonly validUntil?: string;
      /** When it was revoked (ISO instant), for a revoked document; never who revoked it or why. */
      readonly revokedAt?: string;
      readonly suite: CryptoSuite;
      /** The masked name and key facts to compare with the paper (verify-disclosure.ts, ADR 0019). */
      readonly facts: readonly VerifyFact[];
    }
  | { readonly status: 'forged' | 'malformed'; readonly reason: string };

/**
 * What the public verify page says about a token. Tokens of every suite the register has signed with are
 * accepted, so documents issued before a change of suite stay genuine. `now` decides expiry: a document is
 * valid through its validUntil day in China.
 */
export async function checkDocumentToken(
  db: HujiDatabase,
  token: string,
  now: Date = new Date(),
): Promise<DocumentCheck> {
  const verified = await verifyDocumentToken(createDocumentVerifier(await documentPublicKeys(db)), token);
  if (verified.status === 'malformed') return { status: 'malformed', reason: verified.reason };
  if (verified.status === 'forged') return { status: 'forged', reason: verified.reason };
  const { claims } = verified;
  const [doc] = await db.select().from(issuedDocument).where(eq(issuedDocument.id, claims.documentId));
  // A genuine signature over a document this register never issued, or over other content, is forged.
  if (!doc || doc.contentHash !== claims.subjectHash || doc.kind !== claims.kind)
    return { status: 'forged', reason: 'not-issued-here' };
  const issuerName = printedIssuerName(doc.input);
  const isExpired = claims.validUntil !== undefined && todayInChina(now) > claims.validUntil;
  return {
    status: doc.revokedAt ? 'revoked' : isExpired ? 'expired' : 'genuine',
    kind: claims.kind,
    issuedAt: claims.issuedAt,
    issuer: claims.issuer,
    ...(issuerName === undefined ? {} : { issuerName }),
    documentId: claims.documentId,
    ...(claims.validUntil === undefined ? {} : { validUntil: claims.validUntil }),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt.toISOString() } : {}),
    suite: verified.suite,
    facts: verifyFactsOf(claims.kind, doc.input),
  };
}

function printedIssuerName(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const issuer: unknown = Reflect.get(input, 'issuer');
  if (typeof issuer !== 'object' || issuer === null) return undefined;
  const name: unknown = Reflect.get(issuer, 'name');
  return typeof name === 'string' ? name : undefined;
}
