/**
 * What the application asks for, first on the officer's page: who moves (each with the facts the
 * register will hold: ids masked), where from and where to (names, never bare codes), and whether they
 * found a new household or join one. For a residence permit: the applicant, the address, since when.
 * Birthplace and ethnicity may be missing (older applications) or null (不详): both read 不详.
 */
import { Descriptions, Table, Typography } from 'antd';
import type { CodeTableId } from '../../../../../src/standards/code-tables';
import type { ApplicationDetail } from '../api';
import { useCodeLabel } from '../../register/labels';
import { useOfficerT } from './texts';

interface MoverView {
  readonly name: string;
  readonly citizenId: string;
  readonly relationship?: string;
  readonly sex?: string;
  readonly birthDate?: string;
  readonly birthplace?: string | null;
  readonly ethnicity?: string | null;
  readonly education?: string | null;
  readonly maritalStatus?: string | null;
  readonly occupation?: string | null;
}

interface FormView {
  readonly kind: string;
  readonly applicant?: MoverView;
  readonly movers?: readonly MoverView[];
  readonly fromDivision?: string;
  readonly destination?: {
    readonly householdNumber?: string;
    readonly newHousehold?: {
      readonly address: { readonly text: string; readonly countyCode: string; readonly townCode?: string };
    };
  };
  readonly permitNumber?: string;
  readonly originOffice?: string;
  readonly residenceAddress?: {
    readonly text: string;
    readonly countyCode: string;
    readonly townCode?: string;
  };
  readonly livingSince?: string;
}

export function HouseholdPlan({ a }: { readonly a: ApplicationDetail }) {
  const t = useOfficerT();
  const label = useCodeLabel();
  const form = a.form as unknown as FormView;
  const place = (code: string | undefined) => (code ? (a.placeNames?.[code] ?? t('unknown')) : t('unknown'));
  const coded = (table: CodeTableId, code: string | null | undefined, empty = t('unknown')) =>
    code ? label(table, code) : empty;
  const sex = (s: string | undefined) => (s === '1' ? t('male') : s === '2' ? t('female') : t('unknown'));

  if (form.kind === 'residence-permit' && form.applicant) {
    const p = form.applicant;
    return (
      <Descriptions bordered size="small" column={2} data-testid="plan">
        <Descriptions.Item label={t('applicant')}>{p.name}</Descriptions.Item>
        <Descriptions.Item label={t('citizenId')}>{p.citizenId}</Descriptions.Item>
        <Descriptions.Item label={t('sex')}>{sex(p.sex)}</Descriptions.Item>
        <Descriptions.Item label={t('birthDate')}>{p.birthDate ?? t('unknown')}</Descriptions.Item>
        <Descriptions.Item label={t('ethnicity')}>{coded('ethnicity', p.ethnicity)}</Descriptions.Item>
        <Descriptions.Item label={t('livingSince')}>{form.livingSince ?? t('unknown')}</Descriptions.Item>
        <Descriptions.Item label={t('residenceAddress')} span={2}>
          {place(form.residenceAddress?.townCode ?? form.residenceAddress?.countyCode)}{' '}
          {form.residenceAddress?.text}
        </Descriptions.Item>
      </Descriptions>
    );
  }
  if (!form.movers) {
    return (
      <Descriptions bordered size="small" column={2} data-testid="plan">
        <Descriptions.Item label={t('applicant')}>
          {form.applicant?.name} {form.applicant?.citizenId}
        </Descriptions.Item>
      </Descriptions>
    );
  }
  const dest = form.destination;
  // The town where the new household's address names one (its name includes the county's).
  const toCounty =
    dest?.newHousehold?.address.townCode ??
    dest?.newHousehold?.address.countyCode ??
    dest?.householdNumber?.slice(0, 6);
  return (
    <div className="stack" data-testid="plan">
      <Descriptions bordered size="small" column={2}>
        <Descriptions.Item label={t('from')}>
          <span data-testid="plan-from">{place(form.fromDivision)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('to')}>
          <span data-testid="plan-to">
            {place(toCounty)}
            {dest?.newHousehold ? ` ${dest.newHousehold.address.text}` : ''}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('household')} span={2}>
          {dest?.newHousehold
            ? t('newHousehold')
            : t('joinHousehold', { number: dest?.householdNumber ?? t('unknown') })}
        </Descriptions.Item>
        {form.permitNumber ? (
          <Descriptions.Item label={t('permitNumber')}>{form.permitNumber}</Descriptions.Item>
        ) : null}
        {form.originOffice ? (
          <Descriptions.Item label={t('originOffice')}>{form.originOffice}</Descriptions.Item>
        ) : null}
      </Descriptions>
      <Typography.Title level={3} style={{ fontSize: 15, margin: '4px 0 0' }}>
        {t('movers')}（{form.movers.length}）
      </Typography.Title>
      <Table
        rowKey={(m) => m.citizenId}
        size="small"
        pagination={false}
        data-testid="movers"
        dataSource={[...form.movers]}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('citizenId'), dataIndex: 'citizenId' },
          {
            title: t('relationship'),
            render: (_: unknown, m: MoverView) => coded('relationship', m.relationship),
          },
          { title: t('sex'), render: (_: unknown, m: MoverView) => sex(m.sex) },
          { title: t('birthDate'), render: (_: unknown, m: MoverView) => m.birthDate ?? t('unknown') },
          {
            title: t('birthplace'),
            render: (_: unknown, m: MoverView) => (m.birthplace ? place(m.birthplace) : t('unknown')),
          },
          { title: t('ethnicity'), render: (_: unknown, m: MoverView) => coded('ethnicity', m.ethnicity) },
          {
            title: t('education'),
            render: (_: unknown, m: MoverView) => coded('education', m.education, t('notGiven')),
          },
          {
            title: t('maritalStatus'),
            render: (_: unknown, m: MoverView) => coded('marital-status', m.maritalStatus, t('notGiven')),
          },
          { title: t('occupation'), render: (_: unknown, m: MoverView) => m.occupation || t('notGiven') },
        ]}
      />
    </div>
  );
}
