/**
 * Starts the platform: open the database, migrate it, load reference data (and demo data on first
 * start), then listen. Stops cleanly on SIGINT / SIGTERM so PGlite flushes and releases its directory.
 */
import { startAuditAnchoring } from '../audit/anchors.js';
import { checkCjkFont } from '../documents/cjk-font.js';
import { checkHolidayNotices } from '../services/china-holidays.js';
import { todayInChina } from '../standards/calendar.js';
import { HujiError } from '../errors/huji-error.js';
import { loadDemoApplications } from '../services/demo-applications.js';
import { fillQueueClocks } from '../services/queue-repository.js';
import { loadPolicyCatalog } from './policy-catalog.js';
import { logSmsSender, startOutboxDispatcher } from '../services/outbox.js';
import type { FastifyInstance } from 'fastify';
import { describeDemoAccount, loadDemoAccounts } from '../accounts/demo-accounts.js';
import { openDatabase, type DatabaseHandle, type HujiDatabase } from '../db/connection.js';
import { loadDemoData } from '../db/demo-data.js';
import { migrateDatabase } from '../db/migrate.js';
import { loadReferenceData } from '../db/reference-data.js';
import { eq } from 'drizzle-orm';
import { systemState } from '../db/schema.js';
import { loadDemoDuplicates } from '../register/demo-duplicates.js';
import { seedRegister } from '../register/seed-register.js';
import { buildApp } from './app.js';
import type { Config } from './config.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly url: string;
  stop(): Promise<void>;
}

/** Opens, migrates and seeds the database named by the config. */
export async function prepareDatabase(
  config: Config,
  log: (message: string) => void,
): Promise<DatabaseHandle> {
  const database = await openDatabase(config.database);
  try {
    const migration = await migrateDatabase(database.db);
    log(
      `database ${database.kind} at ${database.location}: ${migration.applied} migration(s) applied, ${migration.total} known`,
    );
    // Applications returned for materials when migration 0010 ran get their queue date in working days.
    const filled = await fillQueueClocks(database.db);
    if (filled > 0) log(`queue: ${filled} open application(s) given their queue date`);
    const reference = await loadReferenceData(database.db);
    if (reference.loaded) log(`reference data: ${reference.divisions} divisions (${reference.vintage})`);
    if (config.loadDemoData) {
      const demo = await loadDemoData(database.db);
      if (demo.loaded)
        log(`demo data loaded: ${demo.urbanRuralClasses} village urban-rural classes (demo-inferred)`);
      const register = await loadDemoRegister(database);
      if (register) {
        log(
          `demo register loaded: ${register.persons} synthetic persons in ${register.households} households (Quzhou, Lanzhou)`,
        );
      }
      const accounts = await loadDemoAccounts(database.db);
      if (accounts) {
        // Shown this once: the passwords must be changed at first sign-in, the TOTP secrets go into an app.
        log(
          `demo officer accounts (printed on this first start only; sign in to the console at /console — 工作人员控制台):`,
        );
        for (const account of accounts) log(describeDemoAccount(account));
      }
      const applications = await loadDemoOnce(database.db, 'demo-applications', () =>
        loadDemoApplications(database.db, {
          policies: loadPolicyCatalog().policies.map((p) => p.policy),
          publicUrl: config.publicUrl,
          cryptoSuite: config.cryptoSuite,
          timeLimits: config.timeLimits,
        }),
      );
      if (applications)
        log(
          `demo applications: ${applications} (residents 13800000001–13800000007 sign in with the code printed in this log)`,
        );
      const duplicates = await loadDemoOnce(database.db, 'demo-duplicates', () =>
        loadDemoDuplicates(database.db),
      );
      if (duplicates) log(`demo duplicate registrations: ${duplicates} households in 柯城区 (330802)`);
    }
    return database;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

const DEMO_REGISTER = 'demo-register';

/** Runs a demo loader once per database (remembered in system_state); undefined when already done. */
async function loadDemoOnce(db: HujiDatabase, key: string, load: () => Promise<number>) {
  const [done] = await db.select().from(systemState).where(eq(systemState.key, key));
  if (done) return undefined;
  const count = await load();
  await db.insert(systemState).values({ key, value: { count } }).onConflictDoNothing();
  return count;
}

/**
 * A small synthetic register for the demo (with a few seeded duplicate registrations), loaded once.
 * Generated people are marked by the ledger source `seed:…`, never mistaken for real records.
 */
async function loadDemoRegister(
  database: DatabaseHandle,
): Promise<{ persons: number; households: number } | undefined> {
  const db = database.db;
  const [done] = await db.select().from(systemState).where(eq(systemState.key, DEMO_REGISTER));
  if (done) return undefined;
  const quzhou = await seedRegister(database, { city: 'quzhou', persons: 600, seed: 1, duplicateRate: 0.01 });
  const lanzhou = await seedRegister(database, {
    city: 'lanzhou',
    persons: 600,
    seed: 2,
    duplicateRate: 0.01,
  });
  const loaded = {
    persons: quzhou.persons + lanzhou.persons,
    households: quzhou.imported + lanzhou.imported,
  };
  await db.insert(systemState).values({ key: DEMO_REGISTER, value: loaded }).onConflictDoNothing();
  return loaded;
}

/**
 * Every document is drawn in the CJK font: a file that cannot be read or embedded stops the start with
 * one line (HUJI_CONFIG_INVALID naming HUJI_CJK_FONT) instead of a 500 on every certificate later.
 */
export async function assertCjkFontUsable(config: Config): Promise<void> {
  const check = await checkCjkFont(config.cjkFont);
  if (!check.isUsable)
    throw new HujiError('HUJI_CONFIG_INVALID', { name: 'HUJI_CJK_FONT', detail: check.problem });
}

export async function startServer(config: Config): Promise<RunningServer> {
  const logger = { level: config.logLevel };
  await assertCjkFontUsable(config);
  const database = await prepareDatabase(config, (m) => console.log(m));
  let app: FastifyInstance;
  try {
    app = await buildApp({
      database,
      logger,
      publicUrl: config.publicUrl,
      accounts: config.accounts,
      cryptoSuite: config.cryptoSuite,
      timeLimits: config.timeLimits,
      auditAnchorDir: config.auditAnchors.dir,
      residentLimits: config.residentLimits,
      trustProxy: config.trustProxy,
      evaluateRateLimit: config.evaluatePerMinute,
      ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
    });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  // SMS of application changes leave through the outbox (demo: the log); see src/services/outbox.ts.
  const outbox = startOutboxDispatcher(database.db, [logSmsSender(app.log)], app.log);
  // Signed anchors of the audit chains' heads, kept outside the database (ADR 0015).
  const anchoring = startAuditAnchoring(database.db, {
    dir: config.auditAnchors.dir,
    suite: config.cryptoSuite,
    intervalMinutes: config.auditAnchors.intervalMinutes,
    log: app.log,
  });
  // Deadlines count working days; a missing State Council notice makes them count weekends only.
  const notices = checkHolidayNotices(todayInChina());
  if (!notices.isComplete) {
    app.log.warn({ missingYear: notices.missingYear }, notices.message.en);
    console.warn(`注意：${notices.message.zh}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await outbox.stop();
      await app.close();
      // After the app: its last audit entries are written, and anchored once more.
      await anchoring.stop();
      await database.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }
  return { app, database, url, stop };
}
