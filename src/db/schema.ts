/**
 * The database schema (drizzle). One PostgreSQL dialect for PGlite and PostgreSQL servers.
 *
 * Scale-out rule (ADR 0003): every large table has a distribution key in its primary key and no foreign
 * key crosses distribution keys, so the schema moves to Citus unchanged. Reference tables (divisions)
 * are small and replicated.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  char,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/** Key-value facts about this installation (reference-data vintage, demo data loaded, …). */
export const systemState = pgTable('system_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Administrative divisions: GB/T 2260 codes (6 digits) for the country, NBS town (9) and village (12)
 * codes for the bundled cities, and abolished county codes kept for old ID numbers. Reference table.
 */
export const division = pgTable(
  'division',
  {
    code: varchar('code', { length: 12 }).primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: ['province', 'prefecture', 'county', 'town', 'village'] }).notNull(),
    parentCode: varchar('parent_code', { length: 12 }),
    countyKind: text('county_kind', {
      enum: ['district', 'county', 'county-level-city', 'statistical-unit'],
    }),
    townKind: text('town_kind', { enum: ['sub-district', 'town', 'township', 'special-area'] }),
    villageKind: text('village_kind', { enum: ['residents-committee', 'villagers-committee'] }),
    isStatisticalUnit: boolean('is_statistical_unit').notNull().default(false),
    isCurrent: boolean('is_current').notNull(),
    vintage: text('vintage').notNull(),
  },
  (t) => [index('division_parent_idx').on(t.parentCode), index('division_name_idx').on(t.name)],
);

/**
 * The NBS urban-rural classification of a village-level unit for a reference year (30 June). `source`
 * says where the value came from: `nbs` for the published list, `demo-inferred` for demo values derived
 * from the unit's kind (the bundled NBS data has no classification codes).
 */
export const divisionUrbanRural = pgTable(
  'division_urban_rural',
  {
    code: varchar('code', { length: 12 }).notNull(),
    year: smallint('year').notNull(),
    classCode: char('class_code', { length: 3 }).notNull(),
    source: text('source', { enum: ['nbs', 'demo-inferred', 'officer'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.code, t.year] }),
    check(
      'division_urban_rural_class_check',
      sql`${t.classCode} in ('111','112','121','122','123','210','220')`,
    ),
  ],
);

/**
 * The last sequence code handed out per (address code, birth date, sex). Updated with an atomic upsert
 * so that concurrent birth registrations never receive the same number. Distribution key: address_code.
 */
export const citizenIdSequence = pgTable(
  'citizen_id_sequence',
  {
    addressCode: char('address_code', { length: 6 }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: text('sex', { enum: ['male', 'female'] }).notNull(),
    lastSequence: smallint('last_sequence').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.addressCode, t.birthDate, t.sex] }),
    check('citizen_id_sequence_range', sql`${t.lastSequence} between 1 and 999`),
  ],
);

/**
 * Every citizen ID number known to this register, whether allocated here or brought in by import, so an
 * allocation never hands out a number that already exists. Distribution key: citizen_id.
 */
export const citizenIdRegistry = pgTable('citizen_id_registry', {
  citizenId: char('citizen_id', { length: 18 }).primaryKey(),
  origin: text('origin', { enum: ['allocated', 'imported', 'registered'] }).notNull(),
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  /** For allocated numbers: the sequence position, kept for audits of the allocator. */
  sequence: integer('sequence'),
});

// ——— Population register (ADR 0003 for the keys; ADR 0007 for the ledger) ———

/** Current state of a person, a projection of the ledger kept in the same transaction as each event. */
export const person = pgTable(
  'person',
  {
    id: uuid('id').primaryKey(),
    citizenId: char('citizen_id', { length: 18 }).notNull(),
    name: text('name').notNull(),
    /** Lower-case toneless pinyin of the name, for search ("zhang san" finds 张三). */
    namePinyin: text('name_pinyin').notNull(),
    formerNames: jsonb('former_names').$type<string[]>().notNull().default([]),
    sex: char('sex', { length: 1 }).notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    /** GB 3304 code; NULL when declared unknown (不详), never a default. */
    ethnicity: varchar('ethnicity', { length: 2 }),
    /** GB/T 2260 code; NULL when declared unknown (不详), never the registering county. */
    birthplace: char('birthplace', { length: 6 }),
    education: varchar('education', { length: 2 }),
    maritalStatus: varchar('marital_status', { length: 2 }),
    occupation: text('occupation'),
    servicePlace: text('service_place'),
    legacyHukouNature: jsonb('legacy_hukou_nature')
      .$type<{ type: string; from: string | null; to: string | null }[]>()
      .notNull()
      .default([]),
    status: text('status', { enum: ['active', 'moved-out', 'deceased', 'cancelled'] }).notNull(),
    countyCode: char('county_code', { length: 6 }).notNull(),
    /** The ledger event that last changed this person. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('person_citizen_id_idx').on(t.citizenId),
    index('person_name_idx').on(t.name),
    index('person_pinyin_idx').on(t.namePinyin),
    index('person_birth_date_idx').on(t.birthDate),
    index('person_county_idx').on(t.countyCode),
  ],
);

export const household = pgTable(
  'household',
  {
    id: uuid('id').primaryKey(),
    householdNumber: char('household_number', { length: 15 }).notNull(),
    type: text('type', { enum: ['family', 'collective'] }).notNull(),
    address: jsonb('address').$type<Record<string, string>>().notNull(),
    countyCode: char('county_code', { length: 6 }).notNull(),
    villageCode: varchar('village_code', { length: 12 }),
    headPersonId: uuid('head_person_id'),
    status: text('status', { enum: ['active', 'closed'] }).notNull(),
  },
  (t) => [
    uniqueIndex('household_number_idx').on(t.householdNumber),
    index('household_county_idx').on(t.countyCode),
  ],
);

/** Who belonged to which household when: the basis of "the household as it was on a date". */
export const membership = pgTable(
  'membership',
  {
    householdId: uuid('household_id').notNull(),
    personId: uuid('person_id').notNull(),
    relationship: varchar('relationship', { length: 2 }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    /** The event that opened this membership. */
    eventId: uuid('event_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.householdId, t.personId, t.validFrom] }),
    index('membership_person_idx').on(t.personId),
  ],
);

/**
 * The append-only ledger: every change to the register, hash-chained per county (a trigger refuses
 * UPDATE and DELETE). Distribution key: county_code.
 */
export const registerEvent = pgTable(
  'register_event',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    type: text('type').notNull(),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull(),
    officerId: text('officer_id').notNull(),
    officerCounty: char('officer_county', { length: 6 }).notNull(),
    sourceApplication: text('source_application'),
    personIds: uuid('person_ids').array().notNull(),
    householdIds: uuid('household_ids').array().notNull(),
    payload: jsonb('payload').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.seq] }),
    uniqueIndex('register_event_id_idx').on(t.id),
    index('register_event_persons_idx').using('gin', t.personIds),
    index('register_event_households_idx').using('gin', t.householdIds),
  ],
);

/** The head of each county's hash chain; its row lock serialises appends within a county. */
export const ledgerHead = pgTable('ledger_head', {
  countyCode: char('county_code', { length: 6 }).primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: char('hash', { length: 64 }).notNull(),
});

/** Idempotency keys of state-changing requests (security.md): the first response, replayed to retries. */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: char('request_hash', { length: 64 }).notNull(),
    status: text('status', { enum: ['running', 'done'] }).notNull(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_expiry_idx').on(t.expiresAt)],
);

/** The last household number serial handed out per county (户号 = county code + 9 digits). */
export const householdNumberSequence = pgTable('household_number_sequence', {
  countyCode: char('county_code', { length: 6 }).primaryKey(),
  lastSerial: bigint('last_serial', { mode: 'number' }).notNull(),
});

/**
 * Officers' verdicts on suspected duplicate registrations (一人多户), one row per unordered pair of
 * persons (the smaller id first). A `duplicate` verdict stays open until a ledger event (the
 * duplicate cancellation) resolves it. What the detector read in the two records (kind, score,
 * evidence) is kept with the verdict. Small (one row per reviewed pair): keyed by the pair, `county_code` for listing.
 */
export const duplicateReview = pgTable(
  'duplicate_review',
  {
    personA: uuid('person_a').notNull(),
    personB: uuid('person_b').notNull(),
    /** County where person a was registered when reviewed. */
    countyCode: char('county_code', { length: 6 }).notNull(),
    verdict: text('verdict', { enum: ['not-duplicate', 'duplicate'] }).notNull(),
    officerId: text('officer_id').notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'string' }).notNull(),
    note: text('note'),
    /** The detector's reading of the pair; null when it does not see one (the officer decided alone). */
    kind: text('kind', { enum: ['same-citizen-id', 'likely-same-person'] }),
    score: doublePrecision('score'),
    evidence: jsonb('evidence').$type<{ zh: string; en: string }[]>().notNull().default([]),
    /** The ledger event (duplicate-cancellation) that resolved a confirmed pair. */
    resolvedEventId: uuid('resolved_event_id'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    primaryKey({ columns: [t.personA, t.personB] }),
    check('duplicate_review_pair_order', sql`${t.personA} < ${t.personB}`),
    check('duplicate_review_resolved', sql`${t.resolvedEventId} is null or ${t.verdict} = 'duplicate'`),
    index('duplicate_review_county_idx').on(t.countyCode, t.verdict),
    index('duplicate_review_person_b_idx').on(t.personB),
  ],
);

/** Documents issued from the register (proofs, extracts): what was stated, and the token in its QR code. */
export const issuedDocument = pgTable(
  'issued_document',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', {
      enum: [
        'legacy-hukou-nature-proof',
        'household-extract',
        'approval-notice',
        'permit-to-move-in',
        'residence-permit',
        'acceptance-receipt',
        'refusal-notice',
      ],
    }).notNull(),
    personId: uuid('person_id'),
    /** Certificates of online applications: the application they were issued for. */
    applicationId: uuid('application_id'),
    householdId: uuid('household_id'),
    /** The renderer's input, so the same PDF can be produced again. */
    input: jsonb('input').notNull(),
    contentHash: char('content_hash', { length: 64 }).notNull(),
    token: text('token').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    issuerCode: text('issuer_code').notNull(),
    officerId: text('officer_id').notNull(),
    /** 作废 (register/revoke-document.ts): when; the verify page says "revoked" once it is set. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** The officer (account id) who revoked it. */
    revokedBy: text('revoked_by'),
    /** Why, in the officer's words; never shown on the public verify page. */
    revocationReason: text('revocation_reason'),
  },
  (t) => [
    index('issued_document_person_idx').on(t.personId),
    // A revocation names its officer and reason together, and never without its time. A time alone is
    // allowed: rows revoked by hand before migration 0007 have no officer or reason to give.
    check(
      'issued_document_revocation',
      sql`(${t.revokedBy} is null) = (${t.revocationReason} is null) and (${t.revokedBy} is null or ${t.revokedAt} is not null)`,
    ),
  ],
);

// ——— Officer accounts and sessions (security.md; src/accounts/) ———

/** Role names the database accepts; kept equal to `ROLES` in src/accounts/roles.ts (a test compares). */
export const OFFICER_ROLE_NAMES = [
  'window-clerk',
  'reviewer',
  'approver',
  'registrar',
  'department-user',
  'reform-office',
  'system-admin',
  'security-admin',
  'audit-admin',
] as const;

/**
 * An officer's account. Roles are an array so that the separation of administrator duties (no account
 * holds two of system / security / audit administrator) is a check constraint on one row. Passwords are
 * argon2id hashes; the history keeps the last hashes so none is reused. Reference-sized: not distributed.
 */
export const officerAccount = pgTable(
  'officer_account',
  {
    id: uuid('id').primaryKey(),
    /** Lower-case; unique. */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    /** The jurisdiction: a county, or a prefecture / province code for city- or province-wide officers. */
    countyCode: char('county_code', { length: 6 }).notNull(),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    passwordHash: text('password_hash').notNull(),
    passwordHistory: text('password_history')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull(),
    /** Set by an administrator's reset and at creation: the first sign-in must choose a new password. */
    mustChangePassword: boolean('must_change_password').notNull().default(true),
    totpSecret: text('totp_secret').notNull(),
    /** The last accepted TOTP time step: a code is accepted once. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    failureWindowStart: timestamp('failure_window_start', { withTimezone: true }),
    failuresInWindow: integer('failures_in_window').notNull().default(0),
    isEnabled: boolean('is_enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: text('created_by').notNull(),
    /**
     * The holder's mobile number: the channel their first secret and any reset reach them by (never the
     * administrator who creates or resets the account). Null for accounts made on the server host.
     */
    mobile: text('mobile'),
  },
  (t) => [
    uniqueIndex('officer_account_username_idx').on(t.username),
    check('officer_account_username_lower', sql`${t.username} = lower(${t.username})`),
    check(
      'officer_account_roles_known',
      sql`${t.roles} <@ array['window-clerk','reviewer','approver','registrar','department-user','reform-office','system-admin','security-admin','audit-admin']::text[]`,
    ),
    check(
      'officer_account_one_admin_duty',
      sql`(('system-admin' = any(${t.roles}))::int + ('security-admin' = any(${t.roles}))::int + ('audit-admin' = any(${t.roles}))::int) <= 1`,
    ),
    check(
      'officer_account_admin_alone',
      sql`not (${t.roles} && array['system-admin','security-admin','audit-admin']::text[]) or cardinality(${t.roles}) = 1`,
    ),
  ],
);

/**
 * Server-side sessions. Only the SHA-256 of the token is stored, so a copy of the table signs nobody in.
 * Times come from the application's clock (tests move it), never from now() in SQL.
 */
export const officerSession = pgTable(
  'officer_session',
  {
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    accountId: uuid('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    idleTimeoutSeconds: integer('idle_timeout_seconds').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason', {
      enum: [
        'sign-out',
        'idle-timeout',
        'absolute-timeout',
        'password-reset',
        'disabled',
        'password-changed',
        'password-guesses',
      ],
    }),
    sourceAddress: text('source_address'),
  },
  (t) => [index('officer_session_account_idx').on(t.accountId)],
);

/**
 * Browsers an officer signed in from with both factors (ADR 0018): the device cookie's token, stored as
 * its SHA-256. A lock that others' failures set does not stop the officer's own correct password and code
 * from such a device; the device's own failures are counted here, and a few of them forget it.
 */
export const officerDevice = pgTable(
  'officer_device',
  {
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    accountId: uuid('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull(),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('officer_device_account_idx').on(t.accountId, t.lastUsedAt)],
);

/** The step between a correct password and the second factor: a short-lived, single-use challenge. */
export const signInChallenge = pgTable(
  'sign_in_challenge',
  {
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    accountId: uuid('account_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('sign_in_challenge_account_idx').on(t.accountId)],
);

// ——— Resident sign-in through an identity provider (src/accounts/resident-identity.ts) ———

/**
 * A pending resident sign-in: the provider's one-time code (hashed with the challenge token), with an
 * attempt count so a code cannot be guessed. The phone number is kept to rate-limit codes per number.
 */
export const residentSignInChallenge = pgTable(
  'resident_sign_in_challenge',
  {
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    codeHash: char('code_hash', { length: 64 }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** The client address that asked for the code (the per-address limit counts these). */
    sourceAddress: text('source_address'),
  },
  (t) => [
    index('resident_sign_in_challenge_subject_idx').on(t.provider, t.subject, t.createdAt),
    index('resident_sign_in_challenge_source_idx').on(t.sourceAddress, t.createdAt),
  ],
);

/** Residents' server-side sessions; as for officers, only the token's SHA-256 is stored. */
export const residentSession = pgTable(
  'resident_session',
  {
    tokenHash: char('token_hash', { length: 64 }).primaryKey(),
    provider: text('provider').notNull(),
    /** The provider's identifier of the resident (for the demo provider, the phone number). */
    subject: text('subject').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    idleTimeoutSeconds: integer('idle_timeout_seconds').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason', { enum: ['sign-out', 'idle-timeout', 'absolute-timeout'] }),
  },
  (t) => [index('resident_session_subject_idx').on(t.provider, t.subject)],
);

// ——— Online applications (src/services/; ADR 0009, 0010) ———

/** bytea as a Buffer (drizzle 0.45 has no bytea column of its own). */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * An online hukou application: the current state folded from its events (`application_event`), kept as
 * a row so queues are one index scan. Distribution key: county_code (the office that handles it).
 */
export const application = pgTable(
  'application',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: uuid('id').notNull(),
    /** The number printed on notices and said on the phone (受理编号): SQ + date + serial. */
    reference: text('reference').notNull(),
    typeId: text('type_id').notNull(),
    kind: text('kind').notNull(),
    /** `policyId@version` of the policy the decision was made under. */
    policyRef: text('policy_ref').notNull(),
    pathwayId: text('pathway_id'),
    applicantProvider: text('applicant_provider').notNull(),
    applicantSubject: text('applicant_subject').notNull(),
    applicantName: text('applicant_name').notNull(),
    applicantCitizenId: varchar('applicant_citizen_id', { length: 18 }),
    state: text('state').notNull(),
    needsCountyApproval: boolean('needs_county_approval').notNull(),
    /** The facts the applicant declared, as evaluated by the policy engine at submission. */
    facts: jsonb('facts').notNull(),
    /** The engine's decision at submission (eligible pathway, articles, explanation). */
    decision: jsonb('decision').notNull(),
    /** What approval writes into the register (who moves where). */
    form: jsonb('form').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** The statutory deadline (a working day); null once the clock has stopped. */
    deadline: date('deadline', { mode: 'string' }),
    /**
     * The queue's order and deadline bands in SQL (ADR 00xx-queue-paging): the deadline, or while the
     * clock is paused the deadline had the applicant resubmitted the day they were returned. Written with
     * the clock at every state change (working days cannot be counted in SQL); null once it stops.
     */
    queueDueOn: date('queue_due_on', { mode: 'string' }),
    /** The day the clock paused (returned for materials); null while it runs. */
    pausedOn: date('paused_on', { mode: 'string' }),
    clock: jsonb('clock').notNull(),
    requiredChanges: jsonb('required_changes').notNull(),
    refusal: jsonb('refusal'),
    /** Set by approval: the register event that carried the application out. */
    registerEventId: uuid('register_event_id'),
    version: integer('version').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('application_id_idx').on(t.id),
    uniqueIndex('application_reference_idx').on(t.countyCode, t.reference),
    index('application_queue_idx').on(t.countyCode, t.state, t.deadline),
    index('application_applicant_idx').on(t.applicantProvider, t.applicantSubject),
    // The queue's pages: its order within a county (or a city's counties), and within one state (a
    // clerk's submitted, a reviewer's accepted), open applications only.
    index('application_queue_order_idx')
      .on(t.countyCode, t.queueDueOn, t.submittedAt, t.id)
      .where(sql`state not in ('done', 'refused', 'not-accepted', 'withdrawn')`),
    // The type filter's choices: the types open in a county, one index probe per type (a skip scan).
    index('application_queue_type_idx')
      .on(t.countyCode, t.typeId, t.policyRef.desc())
      .where(sql`state not in ('done', 'refused', 'not-accepted', 'withdrawn')`),
    index('application_queue_state_order_idx')
      .on(t.countyCode, t.state, t.queueDueOn, t.submittedAt, t.id)
      .where(sql`state not in ('done', 'refused', 'not-accepted', 'withdrawn')`),
  ],
);

/** Every event of an application, append-only (a trigger refuses UPDATE and DELETE). */
export const applicationEvent = pgTable(
  'application_event',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    applicationId: uuid('application_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    event: jsonb('event').notNull(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.applicationId, t.seq] })],
);

/** Uploaded materials: bytes sniffed for their type, stored with their SHA-256. */
export const applicationMaterial = pgTable(
  'application_material',
  {
    countyCode: char('county_code', { length: 6 }).notNull(),
    id: uuid('id').notNull(),
    applicationId: uuid('application_id').notNull(),
    /** The checklist item it answers (`pathway#index` or a kind's material key). */
    materialKey: text('material_key').notNull(),
    fileName: text('file_name').notNull(),
    /** Sniffed from the bytes, never taken from the name or the client's header. */
    mediaType: text('media_type').notNull(),
    byteSize: integer('byte_size').notNull(),
    sha256: char('sha256', { length: 64 }).notNull(),
    content: bytea('content').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true, mode: 'string' }).notNull(),
    uploadedBy: text('uploaded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.countyCode, t.id] }),
    index('application_material_application_idx').on(t.applicationId),
  ],
);

/** In-app notifications, one per change of an application, for the applicant or an office role. */
export const notification = pgTable(
  'notification',
  {
    id: uuid('id').primaryKey(),
    countyCode: char('county_code', { length: 6 }).notNull(),
    applicationId: uuid('application_id').notNull(),
    /** `applicant` (provider:subject) or `role` (role@county). */
    recipientKind: text('recipient_kind', { enum: ['applicant', 'role'] }).notNull(),
    recipient: text('recipient').notNull(),
    title: jsonb('title').notNull(),
    body: jsonb('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('notification_recipient_idx').on(t.recipientKind, t.recipient, t.createdAt)],
);

/**
 * Which officer has read which of their roles' notifications: a role notification is shared by every
 * officer holding the role, so its read state is each officer's own (the applicant's is `read_at`).
 */
export const notificationRead = pgTable(
  'notification_read',
  {
    officerId: text('officer_id').notNull(),
    notificationId: uuid('notification_id').notNull(),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.officerId, t.notificationId] })],
);

/**
 * Messages for outside senders (SMS, e-mail), written in the transaction of the change they announce and
 * sent afterwards by the dispatcher with retries (transactional outbox).
 */
export const outboxMessage = pgTable(
  'outbox_message',
  {
    id: uuid('id').primaryKey(),
    channel: text('channel', { enum: ['sms', 'email'] }).notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    notificationId: uuid('notification_id'),
    status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'string' }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

// ——— Audit log (security.md § Audit; src/audit/) ———

/**
 * The audit trail: append-only (trigger) and hash-chained per chain, each entry's hash covering the
 * previous one, made with the suite named on the entry (SM3 under `gm`, SHA-256 otherwise).
 */
export const auditEntry = pgTable(
  'audit_entry',
  {
    chain: text('chain').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: uuid('id').notNull(),
    /** When it happened (the server's synchronised clock). */
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull(),
    actorKind: text('actor_kind', { enum: ['officer', 'resident', 'system', 'anonymous'] }).notNull(),
    actorId: text('actor_id').notNull(),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sourceAddress: text('source_address'),
    action: text('action').notNull(),
    objectType: text('object_type'),
    objectId: text('object_id'),
    outcome: text('outcome', { enum: ['success', 'refused', 'failed'] }).notNull(),
    status: integer('status'),
    requestId: text('request_id'),
    details: jsonb('details'),
    suite: text('suite', { enum: ['gm', 'international'] }).notNull(),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.chain, t.seq] }),
    index('audit_entry_at_idx').on(t.at),
    index('audit_entry_actor_idx').on(t.actorId, t.at),
  ],
);

/** The head of each audit chain; its row lock serialises appends to the chain. */
export const auditChainHead = pgTable('audit_chain_head', {
  chain: text('chain').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: char('hash', { length: 64 }).notNull(),
});
