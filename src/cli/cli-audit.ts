/**
 * The audit entry of a command-line read or change of personal data (`register show`, `household show`,
 * `export`, `import persons`): the same audit log as the API's requests (ADR 0011), on the `system`
 * chain, with the operating-system user who ran the command as the actor (`cli:<user>`) and the host in
 * the details. Written before the command shows or writes anything: a read whose entry cannot be
 * written fails instead of showing the data.
 */
import { hostname } from 'node:os';
import { AuditWriter, type AuditRecordInput } from '../audit/audit-log.js';
import type { AuditSuite, JsonValue } from '../audit/chain.js';
import type { DbExecutor } from '../db/connection.js';
import { cliOperator } from './output.js';

export type CliAuditInput = Omit<AuditRecordInput, 'actorKind' | 'actorId' | 'countyCode' | 'details'> & {
  readonly details?: Record<string, JsonValue>;
};

/**
 * Records one entry and waits until it is committed.
 *
 * @example await recordCliAudit(db, 'gm', { action: 'register.read', objectType: 'citizen-id', objectId: id, outcome: 'success' });
 */
export async function recordCliAudit(db: DbExecutor, suite: AuditSuite, entry: CliAuditInput): Promise<void> {
  const writer = new AuditWriter(db, { suite });
  try {
    await writer.record({
      ...entry,
      actorKind: 'system',
      actorId: cliOperator(),
      details: { via: 'cli', host: hostOf(), ...entry.details },
    });
  } finally {
    await writer.close();
  }
}

function hostOf(): string {
  try {
    return hostname();
  } catch {
    return 'unknown';
  }
}
