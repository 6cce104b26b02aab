/**
 * The register's population as policy facts: every current member of an active household within a
 * division-code prefix, household by household, with the facts the register holds (county, age, sex,
 * marital status, education, the followers a household makes). Every other fact (residence, employment,
 * social insurance, …) keeps its default, so pathways that need them are a lower bound. Used by
 * `huji policy simulate --population db` and the console's simulation over the register.
 */
import type { DbExecutor } from '../db/connection.js';
import type { Facts } from '../policy/facts.js';
import { householdPolicyFacts, type RegisteredMember } from './policy-facts.js';
import { exportRows, personFromRow } from './repository.js';

export async function* registeredPopulationFacts(
  db: DbExecutor,
  countyPrefix: string,
  date: string,
): AsyncGenerator<Facts> {
  let household: RegisteredMember[] = [];
  let number = '';
  for (const row of await exportRows(db, countyPrefix)) {
    if (row.household_number !== number && household.length > 0) {
      yield* householdPolicyFacts(household, date);
      household = [];
    }
    number = row.household_number;
    household.push({ person: personFromRow(row), relationship: row.relationship });
  }
  if (household.length > 0) yield* householdPolicyFacts(household, date);
}
