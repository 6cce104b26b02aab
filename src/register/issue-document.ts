/**
 * Issues documents from the register — the proof of pre-reform hukou nature (户口性质证明) and the
 * household register extract — with a signed token in their QR code, records what each stated, and
 * verifies tokens for the public verify page (genuine, forged, revoked).
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
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
  type DocumentKind,
  type DocumentSigningKeys,
} from '../documents/document-token.js';
import {
  householdExtractContent,
  renderHouseholdExtract,
  type HouseholdExtractInput,
} from '../documents/household-extract.js';
import {
  legacyHukouNatureProofContent,
  renderLegacyHukouNatureProof,
  type LegacyHukouNatureProofInput,
} from '../documents/legacy-hukou-nature-proof.js';
import { HujiError } from '../errors/huji-error.js';
import { findDivision } from '../standards/divisions.js';
import type { Officer } from './repository.js';
import { householdAt, personAt } from './time-travel.js';

const KEYS_STATE = 'document-signing-keys';

/**
 * The signing keys, generated on first use. They live in the database here; a level-3 deployment keeps
 * the private key in a signing device behind the same DocumentSigner interface.
 */
export async function documentKeys(db: DbExecutor): Promise<DocumentSigningKeys> {
  const [row] = await db.select().from(systemState).where(eq(systemState.key, KEYS_STATE));
  if (row) return row.value as DocumentSigningKeys;
  const keys = generateSigningKeys();
  await db.insert(systemState).values({ key: KEYS_STATE, value: keys }).onConflictDoNothing();
  const [stored] = await db.select().from(systemState).where(eq(systemState.key, KEYS_STATE));
  return (stored?.value ?? keys) as DocumentSigningKeys;
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
}

async function record(
  tx: DbExecutor,
  doc: {
    id: string;
    kind: DocumentKind;
    personId?: string;
    householdId: string;
    input: unknown;
    content: ContentValue;
    issuedAt: string;
    issuer: string;
    officer: Officer;
    baseUrl: string;
  },
): Promise<IssuedDocument> {
  const keys = await documentKeys(tx);
  const hash = contentHash(doc.content);
  const token = await signDocumentToken(createDocumentSigner(keys), {
    documentId: doc.id,
    kind: doc.kind,
    issuedAt: doc.issuedAt,
    subjectHash: hash,
    issuer: doc.issuer,
  });
  await tx.insert(issuedDocument).values({
    id: doc.id,
    kind: doc.kind,
    personId: doc.personId ?? null,
    householdId: doc.householdId,
    input: doc.input,
    contentHash: hash,
    token,
    issuedAt: new Date(doc.issuedAt),
    issuerCode: doc.issuer,
    officerId: doc.officer.id,
  });
  return {
    documentId: doc.id,
    kind: doc.kind,
    token,
    verifyUrl: documentVerifyUrl(doc.baseUrl, token),
    issuedAt: doc.issuedAt,
  };
}

const issuerOf = (countyCode: string) => ({
  code: countyCode,
  name: `${findDivision(countyCode)?.name ?? countyCode}公安局户籍管理部门`,
});
// Tokens carry whole seconds; the stored input does too, so a re-render hashes the same.
const nowSeconds = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();

export async function issueLegacyHukouNatureProof(
  tx: DbExecutor,
  ref: { personId: string; officer: Officer; baseUrl: string; today: string },
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
    issuedAt: nowSeconds(),
    reformArticle: reformArticleFor(person.countyCode),
  };
  return record(tx, {
    id: input.documentId,
    kind: 'legacy-hukou-nature-proof',
    personId: person.id,
    householdId: household.id,
    input,
    content: legacyHukouNatureProofContent(input),
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    officer: ref.officer,
    baseUrl: ref.baseUrl,
  });
}

export async function issueHouseholdExtract(
  tx: DbExecutor,
  ref: { householdId: string; asOf: string; officer: Officer; baseUrl: string; maskCitizenIds: boolean },
): Promise<IssuedDocument> {
  const view = await householdAt(tx, { id: ref.householdId }, ref.asOf);
  if (!view) throw new HujiError('HUJI_REGISTER_HOUSEHOLD_UNKNOWN', { ref: ref.householdId });
  const input: Omit<HouseholdExtractInput, 'verifyUrl'> = {
    documentId: randomUUID(),
    household: view.household,
    members: view.members.map((m) => ({ person: m.person, membership: m.membership })),
    asOf: ref.asOf,
    issuer: issuerOf(view.household.address.countyCode),
    issuedAt: nowSeconds(),
    maskCitizenIds: ref.maskCitizenIds,
  };
  return record(tx, {
    id: input.documentId,
    kind: 'household-extract',
    householdId: view.household.id,
    input,
    content: householdExtractContent(input),
    issuedAt: input.issuedAt,
    issuer: input.issuer.code,
    officer: ref.officer,
    baseUrl: ref.baseUrl,
  });
}

/** Renders an issued document again from what it stated. */
export async function renderIssuedDocument(
  db: DbExecutor,
  documentId: string,
  baseUrl: string,
): Promise<{ pdf: Buffer; kind: DocumentKind; householdCounty: string } | undefined> {
  const [doc] = await db.select().from(issuedDocument).where(eq(issuedDocument.id, documentId));
  if (!doc) return undefined;
  const verifyUrl = documentVerifyUrl(baseUrl, doc.token);
  if (doc.kind === 'legacy-hukou-nature-proof') {
    const input = doc.input as Omit<LegacyHukouNatureProofInput, 'verifyUrl'>;
    return {
      pdf: await renderLegacyHukouNatureProof({ ...input, verifyUrl }),
      kind: doc.kind,
      householdCounty: input.household.address.countyCode,
    };
  }
  // Certificates of applications are rendered by the services module, not here.
  if (doc.kind !== 'household-extract') return undefined;
  const input = doc.input as Omit<HouseholdExtractInput, 'verifyUrl'>;
  return {
    pdf: await renderHouseholdExtract({ ...input, verifyUrl }),
    kind: doc.kind,
    householdCounty: input.household.address.countyCode,
  };
}

export type DocumentCheck =
  | {
      readonly status: 'genuine' | 'revoked';
      readonly kind: DocumentKind;
      readonly issuedAt: string;
      readonly issuer: string;
      readonly documentId: string;
    }
  | { readonly status: 'forged' | 'malformed'; readonly reason: string };

/** What the public verify page says about a token. */
export async function checkDocumentToken(db: HujiDatabase, token: string): Promise<DocumentCheck> {
  const keys = await documentKeys(db);
  const verified = await verifyDocumentToken(createDocumentVerifier([keys.publicJwk]), token);
  if (verified.status === 'malformed') return { status: 'malformed', reason: verified.reason };
  if (verified.status === 'forged') return { status: 'forged', reason: verified.reason };
  const { claims } = verified;
  const [doc] = await db.select().from(issuedDocument).where(eq(issuedDocument.id, claims.documentId));
  // A genuine signature over a document this register never issued, or over other content, is forged.
  if (!doc || doc.contentHash !== claims.subjectHash) return { status: 'forged', reason: 'not-issued-here' };
  return {
    status: doc.revokedAt ? 'revoked' : 'genuine',
    kind: claims.kind,
    issuedAt: claims.issuedAt,
    issuer: claims.issuer,
    documentId: claims.documentId,
  };
}
