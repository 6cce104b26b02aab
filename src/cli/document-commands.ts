/**
 * `huji documents revoke`: revokes an issued document (作废) from the terminal, acting as a named officer
 * account the way `huji queue` does (the operator holds the database; the account must be enabled and
 * its roles must allow `document.revoke`). The same use case as the HTTP route does the work, and the
 * attempt is recorded in the audit trail on the officer's chain with the operating-system user who ran it.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { findAccountByUsername } from '../accounts/repository.js';
import { canPerform } from '../accounts/roles.js';
import { AuditWriter } from '../audit/audit-log.js';
import { openDatabase } from '../db/connection.js';
import { migrateDatabase } from '../db/migrate.js';
import { HujiError, isHujiError } from '../errors/huji-error.js';
import { COMMAND_FIELDS } from '../register/command-fields.js';
import { revokeDocument } from '../register/revoke-document.js';
import { readConfig } from '../server/config.js';
import { cliOperator, EXIT_OK, printJson, UsageError, type Io } from './output.js';

export function registerDocumentCommands(program: Command, io: Io, setExit: (code: number) => void) {
  const zh = io.locale === 'zh-CN';
  const documents = program.command('documents').description(zh ? '已开具的文书' : 'issued documents');

  documents
    .command('revoke')
    .description(
      zh
        ? '作废已开具的文书（核验页随即显示“已作废”及作废日期）'
        : 'revoke an issued document (its verify page then says revoked, and since when)',
    )
    .argument('<id>', zh ? '文书编号' : 'document id')
    .requiredOption('--reason <text>', zh ? '作废原因（2–500 字）' : 'why (2–500 characters)')
    .requiredOption('--officer <username>', zh ? '经办工作人员账号' : 'the acting officer account')
    .option('--json', 'JSON output')
    .action(async (id: string, options: { reason: string; officer: string; json?: boolean }) => {
      if (!z.uuid().safeParse(id).success)
        throw new UsageError('HUJI_VALIDATION', { detail: `id ${id.slice(0, 60)}: a document id (UUID)` });
      const reason = COMMAND_FIELDS.reason.safeParse(options.reason);
      if (!reason.success) throw new UsageError('HUJI_VALIDATION', { detail: '--reason: 2–500 characters' });
      const config = readConfig();
      const handle = await openDatabase(config.database);
      try {
        await migrateDatabase(handle.db);
        const account = await findAccountByUsername(handle.db, options.officer.toLowerCase());
        if (!account || !account.isEnabled)
          throw new HujiError('HUJI_ACCOUNT_UNKNOWN', { ref: options.officer });
        const writer = new AuditWriter(handle.db, { suite: config.cryptoSuite });
        const audit = (outcome: 'success' | 'refused', code?: string) =>
          writer.record({
            actorKind: 'officer',
            actorId: account.id,
            countyCode: account.countyCode,
            roles: account.roles,
            action: 'document.revoke',
            objectType: 'document',
            objectId: id,
            outcome,
            details: { username: account.username, via: cliOperator(), ...(code ? { code } : {}) },
          });
        try {
          if (!canPerform(account.roles, 'document.revoke'))
            throw new HujiError('HUJI_FORBIDDEN', { action: 'document.revoke' });
          const revoked = await handle.db.transaction((tx) =>
            revokeDocument(tx, {
              documentId: id,
              officer: { id: account.id, countyCode: account.countyCode },
              reason: reason.data,
              now: new Date(),
            }),
          );
          await audit('success');
          if (options.json) printJson(io, revoked);
          else
            io.out(
              zh
                ? `已作废 ${revoked.id}（${revoked.kind}），作废时间 ${revoked.revokedAt}`
                : `revoked ${revoked.id} (${revoked.kind}) at ${revoked.revokedAt}`,
            );
          setExit(EXIT_OK);
        } catch (error) {
          if (isHujiError(error) && error.status < 500) await audit('refused', error.code);
          throw error;
        } finally {
          await writer.close();
        }
      } finally {
        await handle.close();
      }
    });
}
