/**
 * The database schema (drizzle). One PostgreSQL dialect for PGlite and PostgreSQL servers.
 *
 * Scale-out rule (ADR 0003): every large table has a distribution key in its primary key and no foreign
 * key crosses distribution keys, so the schema moves to Citus unchanged. Reference tables (divisions)
 * are small and replicated.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
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
