/**
 * Demo applications for a first start with demo data: a few residents of 柯城区 (Quzhou) and 城关区
 * (Lanzhou) with applications at every step, so the console's queues, the portal's tracking and the
 * certificates' QR pages have something real to show. They go through the same use cases as the API
 * (submission with the engine's decision, uploads, the workflow table, approval writing the register),
 * acted by the demo officers. Materials are one-page PDFs saying they are demo material (a photo slot
 * takes an image: a placeholder portrait PNG).
 */
import { crc32, deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbExecutor, type HujiDatabase } from '../db/connection.js';
import { configuredCjkFont } from '../documents/cjk-font.js';
import { composeCitizenId } from '../standards/citizen-id.js';
import type { Role } from '../accounts/roles.js';
import {
  actOnApplication,
  addMaterial,
  applicationTypesIn,
  submitApplication,
  type ActionRequest,
  type ResidentRef,
  type ServicesContext,
} from './repository.js';
import type { ApplicationForm } from './forms.js';
import type { Actor } from './workflow.js';

/** A one-page PDF that says what it stands for. */
async function demoPdf(title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', margin: 48 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  // The documents' font (checked at start-up), so the demo material shows its Chinese title.
  const font = configuredCjkFont();
  if (font.family === undefined) doc.font(font.path);
  else doc.font(font.path, font.family);
  doc.fontSize(18).text(title);
  doc.moveDown().fontSize(11).text('演示材料（非真实证件） / demo material, not a real document');
  doc.end();
  return done;
}

/** A small portrait placeholder as a PNG: a photo slot (本人相片) takes an image, not a PDF. */
function demoPhoto(): Buffer {
  const width = 90;
  const height = 120;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      // A light blue background with a grey head-and-shoulders silhouette.
      const head = (x - 45) ** 2 + (y - 45) ** 2 < 22 ** 2;
      const shoulders = y > 78 && Math.abs(x - 45) < 38 - (120 - y) / 3;
      row.set(head || shoulders ? [150, 150, 150] : [200, 225, 250], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function officerActor(db: DbExecutor, username: string): Promise<Extract<Actor, { kind: 'officer' }>> {
  const [row] = rowsOf<{ id: string; roles: string[]; county_code: string }>(
    await db.execute(sql`select id, roles, county_code from officer_account where username = ${username}`),
  );
  if (!row) throw new Error(`demo officer ${username} is missing`);
  return { kind: 'officer', id: row.id, roles: row.roles as Role[], countyCode: row.county_code };
}

interface DemoCase {
  readonly phone: string;
  readonly typeId: string;
  readonly form: ApplicationForm;
  readonly facts?: Record<string, unknown>;
  /** Uploads all checklist materials but these. */
  readonly withhold?: readonly string[];
  readonly steps: readonly { readonly by: string; readonly action: ActionRequest }[];
}

/** Loads the demo applications; returns how many, or 0 when the register has no demo household. */
export async function loadDemoApplications(db: HujiDatabase, ctx: ServicesContext): Promise<number> {
  const [household] = rowsOf<{ household_number: string }>(
    await db.execute(
      sql`select household_number from household where county_code = '330802' and status = 'active' order by household_number limit 1`,
    ),
  );
  if (!household) return 0;
  const [resident] = rowsOf<{ citizen_id: string; name: string }>(
    await db.execute(
      sql`select citizen_id, name from person where county_code = '330802' and status = 'active' order by citizen_id limit 1`,
    ),
  );
  const mover = (name: string, birthDate: string, seq: number, relationship = '99') => {
    const citizenId = composeCitizenId('330881', birthDate, seq);
    return { name, sex: seq % 2 === 1 ? ('1' as const) : ('2' as const), birthDate, citizenId, relationship };
  };
  const settlement = (name: string, birthDate: string, seq: number): ApplicationForm => {
    const m = mover(name, birthDate, seq);
    return {
      kind: 'settlement',
      applicant: { name, citizenId: m.citizenId },
      // Declared as a resident would: born in 江山市, 汉族, 高中 (GB/T 4658 code 60), 未婚 (10).
      movers: [{ ...m, birthplace: '330881', ethnicity: '01', education: '60', maritalStatus: '10' }],
      fromDivision: '330881',
      destination: { householdNumber: household.household_number },
    };
  };
  const renter = {
    hukou: { scope: 'same-city' },
    residence: { type: 'private-rental', townType: 'county-seat', leaseMonths: 12 },
  };
  const cases: DemoCase[] = [
    {
      phone: '13800000001',
      typeId: 'settlement/legal-residence',
      form: settlement('周明', '1991-04-12', 11),
      facts: renter,
      steps: [],
    },
    {
      phone: '13800000002',
      typeId: 'settlement/legal-residence',
      form: settlement('吴芳', '1993-09-30', 22),
      facts: renter,
      withhold: ['legal-residence#1'],
      steps: [{ by: 'kc-clerk', action: { type: 'return', requests: [] } }],
    },
    {
      phone: '13800000003',
      typeId: 'settlement/legal-residence',
      form: settlement('郑伟', '1988-01-05', 33),
      facts: renter,
      steps: [{ by: 'kc-clerk', action: { type: 'accept' } }],
    },
    {
      phone: '13800000004',
      typeId: 'settlement/legal-residence',
      form: settlement('王静', '1995-07-21', 44),
      facts: renter,
      steps: [
        { by: 'kc-clerk', action: { type: 'accept' } },
        { by: 'kc-reviewer', action: { type: 'review', recommendation: 'approve' } },
      ],
    },
    {
      phone: '13800000005',
      typeId: 'settlement/legal-residence',
      form: settlement('冯涛', '1990-11-02', 55),
      facts: renter,
      steps: [
        { by: 'kc-clerk', action: { type: 'accept' } },
        { by: 'kc-reviewer', action: { type: 'review', recommendation: 'approve' } },
        { by: 'kc-approver', action: { type: 'approve' } },
      ],
    },
    {
      phone: '13800000006',
      typeId: 'residence-permit',
      form: {
        kind: 'residence-permit',
        applicant: {
          name: '马兰',
          citizenId: composeCitizenId('620102', '1996-03-08', 66),
          sex: '2',
          birthDate: '1996-03-08',
          ethnicity: '01',
        },
        residenceAddress: { text: '衢州市柯城区白云街道花园路 18 号', countyCode: '330802' },
        livingSince: '2026-01-10',
      },
      steps: [],
    },
  ];
  if (resident)
    cases.push({
      phone: '13800000007',
      typeId: 'legacy-nature-proof',
      form: {
        kind: 'legacy-nature-proof',
        applicant: { name: resident.name, citizenId: resident.citizen_id },
        // The office applied to: where the person is registered (not always where the id was issued).
        countyCode: '330802',
      },
      steps: [],
    });

  let loaded = 0;
  const pdfs = new Map<string, Buffer>();
  await db.transaction(async (tx) => {
    for (const c of cases) {
      const who: ResidentRef = { provider: 'demo-phone', subject: c.phone };
      const record = await submitApplication(tx, ctx, who, {
        typeId: c.typeId,
        form: c.form,
        facts: c.facts ?? {},
      });
      const type = applicationTypesIn(ctx, record.application.countyCode).find((t) => t.id === c.typeId);
      for (const material of type?.materials ?? []) {
        if (c.withhold?.includes(material.key)) continue;
        const isPdf = material.accepts.includes('application/pdf');
        const bytes = isPdf
          ? (pdfs.get(material.label.zh) ?? (await demoPdf(material.label.zh)))
          : demoPhoto();
        if (isPdf) pdfs.set(material.label.zh, bytes);
        await addMaterial(tx, ctx, who, record.application.id, {
          materialKey: material.key,
          fileName: `${material.label.zh}.${isPdf ? 'pdf' : 'png'}`,
          bytes,
        });
      }
      for (const step of c.steps)
        await actOnApplication(tx, ctx, record.application.id, step.action, await officerActor(tx, step.by));
      loaded += 1;
    }
  });
  return loaded;
}
