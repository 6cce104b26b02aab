/**
 * `huji apply` and `huji queue` as an operator runs them: in process, as `bin/huji.js` runs it, on an embedded database
 * directory. A scripted residence-permit submission with its materials lands in the window clerk's
 * queue; a bad form file is refused naming the field, with exit code 2 and nothing written.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeCitizenId } from '../../src/standards/citizen-id.js';
import { runHujiInProcess } from '../support/huji-cli.js';
import { ONE_PIXEL_PNG } from '../support/material-files.js';

// In process, as bin/huji.js runs it: the real process's exit codes are tested in cli.test.ts.
const huji = runHujiInProcess;

const dir = mkdtempSync(join(tmpdir(), 'huji-cli-services-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('huji apply and huji queue', () => {
  const env = { HUJI_DATA_DIR: join(dir, 'data') };
  const citizenId = composeCitizenId('620102', '1995-08-09', 31);
  const form = {
    kind: 'residence-permit',
    applicant: { name: '马兰', citizenId, sex: '1', birthDate: '1995-08-09', ethnicity: '01' },
    residenceAddress: { text: '衢州市柯城区白云街道 3 号', countyCode: '330802' },
    livingSince: '2026-03-01',
  };

  it('submits a residence permit with its materials and shows it in the clerk’s queue', async () => {
    writeFileSync(join(dir, 'form.json'), JSON.stringify(form));
    const pdf = join(dir, 'id.pdf');
    writeFileSync(pdf, '%PDF-1.4\n%%EOF\n');
    // The photo slot takes an image only (本人相片): a PNG.
    const photo = join(dir, 'photo.png');
    writeFileSync(photo, ONE_PIXEL_PNG);
    const materials = [
      'residence-permit#0',
      'residence-permit#1',
      'residence-permit#2',
      'residence-permit#3',
    ].flatMap((k) => ['--material', `${k}=${k === 'residence-permit#1' ? photo : pdf}`]);
    const applied = await huji(
      [
        'apply',
        '--type',
        'residence-permit',
        '--form',
        join(dir, 'form.json'),
        '--phone',
        '13900000021',
        ...materials,
      ],
      env,
    );
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/已提交 SQ\d{14} {2}居住证首次申领 {2}330802/);
    expect(applied.stdout).toContain('材料齐全');
    expect(applied.stdout).toMatch(/办理时限至 \d{4}-\d{2}-\d{2}/);

    const created = await huji(
      ['accounts', 'create', 'clerk-cli', '--name', '窗口', '--county', '330802', '--role', 'window-clerk'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const queue = await huji(['queue', '--officer', 'clerk-cli', '--json'], env);
    expect(queue.code, queue.stderr).toBe(0);
    const items = JSON.parse(queue.stdout) as {
      typeId: string;
      applicant: { citizenId: string };
      actions: string[];
    }[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      typeId: 'residence-permit',
      applicant: { citizenId: `${citizenId.slice(0, 6)}************` },
      actions: ['accept', 'return', 'decline'],
    });
  });

  it('refuses a form that breaks a rule, naming the field, and writes nothing', async () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ ...form, applicant: { ...form.applicant, citizenId: '123' } }),
    );
    const bad = await huji(
      ['apply', '--type', 'residence-permit', '--form', join(dir, 'bad.json'), '--phone', '13900000022'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('form.applicant.citizenId');
    // The ethnicity is asked, not assumed (汉族 was the default): a form without it is refused.
    const { ethnicity: _e, ...unasked } = form.applicant;
    writeFileSync(join(dir, 'no-ethnicity.json'), JSON.stringify({ ...form, applicant: unasked }));
    const silent = await huji(
      [
        'apply',
        '--type',
        'residence-permit',
        '--form',
        join(dir, 'no-ethnicity.json'),
        '--phone',
        '13900000023',
      ],
      env,
    );
    expect(silent.code).toBe(2);
    expect(silent.stderr).toContain('form.applicant.ethnicity: 必填');
    const queue = await huji(['queue', '--officer', 'clerk-cli', '--json'], env);
    expect(JSON.parse(queue.stdout)).toHaveLength(1);
  });
});
