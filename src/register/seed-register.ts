/**
 * Writes a synthetic register (src/register/synthetic-register.ts) into the database through the same
 * checked household import as legacy data, so generated people obey every rule real ones do. Feeds the
 * demo, tests and benchmarks. Duplicate registrations with an id already in the register are refused
 * by the import (the register holds each citizen id once) and counted.
 */
import type { HujiDatabase } from '../db/connection.js';
import { importHousehold } from './import-households.js';
import { syntheticRegister, type SyntheticRegisterOptions } from './synthetic-register.js';

export interface SeedReport {
  readonly households: number;
  readonly persons: number;
  readonly imported: number;
  readonly alreadyImported: number;
  readonly rejected: number;
  readonly rejectedPersons: number;
}

export async function seedRegister(
  db: HujiDatabase,
  options: SyntheticRegisterOptions,
  onProgress: (persons: number) => void = () => undefined,
): Promise<SeedReport> {
  const report = {
    households: 0,
    persons: 0,
    imported: 0,
    alreadyImported: 0,
    rejected: 0,
    rejectedPersons: 0,
  };
  for (const { household, members } of syntheticRegister(options)) {
    report.households++;
    report.persons += members.length;
    const outcome = await importHousehold(
      db,
      { household, members: members.map(({ person, membership }) => ({ person, membership })) },
      { id: 'seed', countyCode: household.address.countyCode },
      `seed:${options.city}:${options.seed ?? 1}`,
    );
    if (outcome.status === 'imported') report.imported++;
    else if (outcome.status === 'already-imported') report.alreadyImported++;
    else {
      report.rejected++;
      report.rejectedPersons += members.length;
    }
    onProgress(report.persons);
  }
  return report;
}
