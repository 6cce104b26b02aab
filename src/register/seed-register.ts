/**
 * Writes a synthetic register (src/register/synthetic-register.ts) into the database through the same
 * checked household import as legacy data (the bulk path, src/register/bulk-import.ts), so generated
 * people obey every rule real ones do. Feeds the demo, tests and benchmarks. Duplicate registrations
 * with an id already in the register are refused by the import (the register holds each citizen id
 * once) and counted.
 */
import type { DatabaseHandle } from '../db/connection.js';
import { ImportPipeline } from './bulk-import.js';
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
  database: DatabaseHandle,
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
  const source = `seed:${options.city}:${options.seed ?? 1}`;
  let written = 0;
  const pipeline = new ImportPipeline(database, (items, outcomes) => {
    outcomes.forEach((outcome, i) => {
      written += items[i]?.household.members.length ?? 0;
      if (outcome.status === 'imported') report.imported++;
      else if (outcome.status === 'already-imported') report.alreadyImported++;
      else {
        report.rejected++;
        report.rejectedPersons += items[i]?.household.members.length ?? 0;
      }
    });
    onProgress(written);
  });
  for (const { household, members } of syntheticRegister(options)) {
    report.households++;
    report.persons += members.length;
    await pipeline.push({
      household: { household, members: members.map(({ person, membership }) => ({ person, membership })) },
      officer: { id: 'seed', countyCode: household.address.countyCode },
      source,
    });
  }
  await pipeline.finish();
  return report;
}
