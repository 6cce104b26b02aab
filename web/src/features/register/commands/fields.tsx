/**
 * The controls of the register command forms: pickers for code tables (from the API, labels only),
 * divisions (search by name), household members and households (by number), dates, and the field rules.
 * A rule checks a value with the same zod rule and zod locale the API validates with, so the inline
 * message is the one the API would answer; only an empty required field says "required" in plain words.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Radio, Select, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { fetchHousehold, registerKeys, type HouseholdView, type RegisterPerson } from '../../../api/register';
import { useLang } from '../../../app/lang';
import { errorMessage } from '../../../app/states';
import { formatMessage, type ErrorCode } from '../../../../../src/errors/codes';
import { plainFieldMessage } from '../../../../../src/errors/field-messages';
import { COMMAND_FIELDS } from '../../../../../src/register/command-fields';
import { DivisionPicker, fetchTowns } from '../../../components/DivisionPicker';
import { useDivisionName } from '../labels';
import { commandKeys, fetchCodeTable, searchDivisions } from './api';
import { useT } from './texts';
import { chinaToday } from '../../../app/time';

const zhMap = zhCN().localeError;
const enMap = en().localeError;

/** The message the API gives for a zod issue (src/server/validation.ts `messageFrom`). */
export function zodMessage(issue: z.core.$ZodIssue, lang: 'zh-CN' | 'en'): string {
  // A domain rule (a date out of range, a forbidden character in a name) speaks from the error table.
  const params = issue.code === 'custom' ? (issue.params as Record<string, unknown> | undefined) : undefined;
  if (params && typeof params.hujiCode === 'string')
    return formatMessage(params.hujiCode as ErrorCode, lang, params);
  const plain = plainFieldMessage(issue);
  if (plain) return lang === 'en' ? plain.en : plain.zh;
  const result = (lang === 'en' ? enMap : zhMap)(issue as Parameters<z.core.$ZodErrorMap>[0]);
  if (typeof result === 'string') return result;
  return result?.message ?? issue.message;
}

/** The rules of the command schemas, field by field: the very rules the API validates with. */
export const RULES = COMMAND_FIELDS;

/** An antd rule from a zod rule; `optional` fields may stay empty. */
export function useRule() {
  const [lang] = useLang();
  const t = useT();
  return useCallback(
    (schema: z.ZodType, opts: { optional?: boolean } = {}): Rule => ({
      validator: async (_rule, value: unknown) => {
        if (value === undefined || value === null || value === '') {
          if (opts.optional) return;
          throw new Error(t('required'));
        }
        const result = schema.safeParse(value, { reportInput: true });
        const issue = result.success ? undefined : result.error.issues[0];
        if (issue) throw new Error(zodMessage(issue, lang));
      },
    }),
    [lang, t],
  );
}

/** Dates are kept as YYYY-MM-DD strings in the form (as the API takes them) and shown in a DatePicker. */
export function DateItem({
  name,
  label,
  optional,
  min,
}: {
  readonly name: (string | number)[];
  readonly label: string;
  readonly optional?: boolean;
  readonly min?: string;
}) {
  const rule = useRule();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[rule(RULES.date, { optional: optional ?? false })]}
      getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : null })}
      normalize={(d: dayjs.Dayjs | null) => (d ? d.format('YYYY-MM-DD') : undefined)}
    >
      <DatePicker
        style={{ width: 200 }}
        disabledDate={(d) =>
          d.isAfter(dayjs(chinaToday()), 'day') || (min !== undefined && d.isBefore(dayjs(min), 'day'))
        }
      />
    </Form.Item>
  );
}

/** A code table from the API as options in the current language; `only` / `except` narrow it. */
export function useCodeOptions(table: string, filter: { only?: string[]; except?: string[] } = {}) {
  const [lang] = useLang();
  const q = useQuery({
    queryKey: commandKeys.codeTable(table),
    queryFn: ({ signal }) => fetchCodeTable(table, signal),
    staleTime: Infinity,
  });
  const { only, except } = filter;
  const options = useMemo(
    () =>
      (q.data?.entries ?? [])
        .filter((e) => (!only || only.includes(e.code)) && !except?.includes(e.code))
        .map((e) => ({ value: e.code, label: lang === 'en' ? e.en : e.zh })),
    [q.data, lang, only, except],
  );
  return { query: q, options };
}

/**
 * The form's value of a declared unknown (不详): sent as null (the register records null, never a
 * default), see `withDeclaredUnknowns`. A string because antd's selects drop null as "nothing chosen".
 */
export const UNKNOWN_VALUE = '__unknown__';

/** The body with every declared unknown (`UNKNOWN_VALUE`) as null, as the API takes it. */
export function withDeclaredUnknowns(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return null;
  if (Array.isArray(value)) return value.map(withDeclaredUnknowns);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDeclaredUnknowns(v)]));
  return value;
}

export function CodeSelect({
  table,
  only,
  except,
  id,
  value,
  onChange,
  allowClear,
  withUnknown,
}: {
  readonly table: string;
  readonly only?: string[];
  readonly except?: string[];
  readonly id?: string;
  readonly value?: string;
  readonly onChange?: (v: string | undefined) => void;
  readonly allowClear?: boolean;
  /** Offers 不详 first (UNKNOWN_VALUE): the value is asked, and may be declared unknown. */
  readonly withUnknown?: boolean;
}) {
  const t = useT();
  const { query: q, options: codes } = useCodeOptions(table, {
    ...(only ? { only } : {}),
    ...(except ? { except } : {}),
  });
  const options = withUnknown ? [{ value: UNKNOWN_VALUE, label: t('unknown') }, ...codes] : codes;
  if (q.isError)
    return (
      <Alert
        type="error"
        showIcon
        message={`${t('loadFailed')}: ${errorMessage(q.error, '')}`}
        action={
          <Button size="small" onClick={() => void q.refetch()}>
            {t('retry')}
          </Button>
        }
      />
    );
  return (
    <Select
      {...(id ? { id } : {})}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      options={options}
      loading={q.isPending}
      placeholder={t('choose')}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear={allowClear ?? false}
      style={{ maxWidth: 320 }}
    />
  );
}

/** A division (GB/T 2260, six digits) found by typing its name; `countyOnly` keeps counties. */
export function DivisionSelect({
  id,
  value,
  onChange,
  countyOnly,
  withUnknown,
}: {
  readonly id?: string;
  readonly value?: string;
  readonly onChange?: (v: string | undefined) => void;
  readonly countyOnly?: boolean;
  /** Offers 不详 first (UNKNOWN_VALUE). */
  readonly withUnknown?: boolean;
}) {
  const t = useT();
  const [q, setQ] = useState('');
  const current = useDivisionName(value === UNKNOWN_VALUE ? undefined : value);
  const hits = useQuery({
    queryKey: commandKeys.divisionSearch(q),
    queryFn: ({ signal }) => searchDivisions(q, signal),
    enabled: q.length > 0,
    staleTime: 300_000,
  });
  const options = (hits.data ?? [])
    .filter((h) => /^\d{6}$/.test(h.division.code) && (!countyOnly || h.division.level === 'county'))
    .map((h) => ({
      value: h.division.code,
      label: [...h.division.path.map((p) => p.name), h.division.name].join(' '),
    }));
  if (value && value !== UNKNOWN_VALUE && !options.some((o) => o.value === value))
    options.unshift({ value, label: current || t('searchDivision') });
  if (withUnknown) options.unshift({ value: UNKNOWN_VALUE, label: t('unknown') });
  return (
    <>
      <Select
        {...(id ? { id } : {})}
        value={value}
        onChange={(v: string | undefined) => onChange?.(v)}
        showSearch={{ filterOption: false, onSearch: (s) => setQ(s.trim()) }}
        options={options}
        loading={hits.isFetching}
        placeholder={t('searchDivision')}
        notFoundContent={null}
        style={{ maxWidth: 420 }}
      />
      {hits.isError ? (
        <Typography.Text type="danger" role="alert">
          {errorMessage(hits.error, t('loadFailed'))}
        </Typography.Text>
      ) : null}
    </>
  );
}

/** A member of a household, by name and masked id. */
export function MemberSelect({
  members,
  except,
  id,
  value,
  onChange,
}: {
  readonly members: readonly RegisterPerson[];
  readonly except?: readonly string[];
  readonly id?: string;
  readonly value?: string;
  readonly onChange?: (v: string | undefined) => void;
}) {
  const t = useT();
  return (
    <Select
      {...(id ? { id } : {})}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      placeholder={t('choose')}
      options={members
        .filter((m) => !except?.includes(m.id))
        .map((m) => ({ value: m.id, label: `${m.name}（${m.citizenId}）` }))}
      style={{ maxWidth: 420 }}
    />
  );
}

/** A household chosen by its 15-digit number; the form keeps its id, as the API takes it. */
export function HouseholdPicker({
  id,
  value,
  onChange,
}: {
  readonly id?: string;
  readonly value?: string;
  readonly onChange?: (v: string | undefined) => void;
}) {
  const t = useT();
  const [number, setNumber] = useState('');
  const found = useQuery({
    queryKey: registerKeys.household(number, 'today'),
    queryFn: ({ signal }) => fetchHousehold(number, undefined, signal),
    enabled: /^\d{15}$/.test(number),
    retry: false,
  });
  const view: HouseholdView | undefined = /^\d{15}$/.test(number) ? found.data : undefined;
  // Take the household as soon as its number resolves.
  useEffect(() => {
    if (view && view.household.id !== value) onChange?.(view.household.id);
  }, [view, value, onChange]);
  return (
    <>
      <Input
        {...(id ? { id } : {})}
        inputMode="numeric"
        maxLength={15}
        placeholder={t('householdNumberHint')}
        value={number}
        onChange={(e) => {
          const v = e.target.value.trim();
          setNumber(v);
          if (!/^\d{15}$/.test(v)) onChange?.(undefined);
        }}
        style={{ maxWidth: 260 }}
      />
      <HouseholdFound view={view} isError={found.isError} />
    </>
  );
}

function HouseholdFound({
  view,
  isError,
}: {
  readonly view: HouseholdView | undefined;
  readonly isError: boolean;
}) {
  const t = useT();
  if (isError)
    return (
      <div>
        <Typography.Text type="danger">{t('householdNotFound')}</Typography.Text>
      </div>
    );
  if (!view) return null;
  return (
    <div className="muted">
      {t('householdFound', { address: view.household.address.text, members: view.members.length })}
    </div>
  );
}

/** A new person's facts (NewPerson of the command schemas); `withId` asks for the citizen id too. */
export function NewPersonFields({ withId, adult }: { readonly withId?: boolean; readonly adult?: boolean }) {
  const t = useT();
  const rule = useRule();
  const form = Form.useFormInstance();
  return (
    <>
      <Form.Item name={['person', 'name']} label={t('name')} rules={[rule(RULES.name)]}>
        <Input maxLength={50} style={{ maxWidth: 260 }} />
      </Form.Item>
      {withId ? (
        <Form.Item
          name={['person', 'citizenId']}
          label={t('citizenId')}
          rules={[rule(RULES.citizenId)]}
          normalize={(v: string) => v.trim().toUpperCase()}
        >
          <Input
            maxLength={18}
            style={{ maxWidth: 260 }}
            onChange={(e) => {
              // GB 11643: the number states the date of birth (7–14) and the sex (17).
              const v = e.target.value.trim();
              if (!/^\d{17}[\dXx]$/.test(v)) return;
              const d = v.slice(6, 14);
              form.setFieldValue(
                ['person', 'birthDate'],
                `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
              );
              form.setFieldValue(['person', 'sex'], Number(v.charAt(16)) % 2 === 1 ? '1' : '2');
            }}
          />
        </Form.Item>
      ) : null}
      <Form.Item
        name={['person', 'sex']}
        label={t('sex')}
        rules={[{ required: true, message: t('required') }]}
      >
        <CodeSelect table="sex" only={['1', '2']} />
      </Form.Item>
      <DateItem name={['person', 'birthDate']} label={t('birthDate')} />
      {/* Asked, never assumed: a value, or 不详 declared (recorded as null). */}
      <Form.Item
        name={['person', 'ethnicity']}
        label={t('ethnicity')}
        rules={[{ required: true, message: t('declareOrUnknown') }]}
      >
        <CodeSelect table="ethnicity" withUnknown />
      </Form.Item>
      <Form.Item
        name={['person', 'birthplace']}
        label={t('birthplace')}
        rules={[{ required: true, message: t('declareOrUnknown') }]}
      >
        <DivisionSelect withUnknown />
      </Form.Item>
      {adult ? (
        <>
          <Form.Item name={['person', 'education']} label={t('education')}>
            <CodeSelect table="education" allowClear />
          </Form.Item>
          <Form.Item name={['person', 'maritalStatus']} label={t('maritalStatus')}>
            <CodeSelect table="marital-status" allowClear />
          </Form.Item>
          <Form.Item
            name={['person', 'occupation']}
            label={t('occupation')}
            rules={[rule(RULES.occupation, { optional: true })]}
          >
            <Input maxLength={100} style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item
            name={['person', 'servicePlace']}
            label={t('servicePlace')}
            rules={[rule(RULES.servicePlace, { optional: true })]}
          >
            <Input maxLength={200} style={{ maxWidth: 420 }} />
          </Form.Item>
        </>
      ) : null}
    </>
  );
}

/** A new household (NewHousehold): its type, address and county, under `prefix`. */
export function NewHouseholdFields({ prefix }: { readonly prefix: string }) {
  const t = useT();
  const rule = useRule();
  return (
    <>
      <Form.Item name={[prefix, 'type']} label={t('householdType')} initialValue="family">
        <Radio.Group
          options={[
            { value: 'family', label: t('family') },
            { value: 'collective', label: t('collective') },
          ]}
        />
      </Form.Item>
      <PlaceItem base={[prefix, 'address']} />
      <Form.Item name={[prefix, 'address', 'text']} label={t('address')} rules={[rule(RULES.address)]}>
        <Input maxLength={200} />
      </Form.Item>
    </>
  );
}

/**
 * Where an address is: the county and, where Huji ships its towns, the town (乡镇、街道), picked by name or
 * level by level. The picker gives one code (9 digits: a town; 6: a county without shipped towns); the
 * form keeps the command's two fields, `countyCode` and `townCode`, so the register receives them as the
 * command names them. Where the county has towns, one must be chosen.
 */
export function PlaceItem({ base }: { readonly base: readonly string[] }) {
  const t = useT();
  const form = Form.useFormInstance();
  const client = useQueryClient();
  const townPath = [...base, 'townCode'];
  return (
    <>
      <Form.Item name={townPath} hidden>
        <Input />
      </Form.Item>
      <Form.Item
        name={[...base, 'countyCode']}
        label={t('place')}
        extra={t('placeHint')}
        rules={[
          {
            validator: async (_rule, county: unknown) => {
              if (typeof county !== 'string' || county === '') throw new Error(t('required'));
              if (form.getFieldValue(townPath)) return;
              const towns = await client.fetchQuery({
                queryKey: ['divisions', county, 'towns'],
                queryFn: ({ signal }) => fetchTowns(county, signal),
                staleTime: Infinity,
              });
              if (towns.hasTowns) throw new Error(t('chooseTown'));
            },
          },
        ]}
      >
        <PlacePicker townPath={townPath} />
      </Form.Item>
    </>
  );
}

function PlacePicker({
  id,
  value,
  onChange,
  townPath,
}: {
  readonly id?: string;
  readonly value?: string;
  readonly onChange?: (v: string | undefined) => void;
  readonly townPath: readonly string[];
}) {
  const form = Form.useFormInstance();
  const town = Form.useWatch([...townPath], form) as string | undefined;
  return (
    <DivisionPicker
      {...(id ? { id } : {})}
      level="town"
      value={town ?? value ?? null}
      onChange={(code) => {
        const picked = typeof code === 'string' ? code : undefined;
        form.setFieldValue([...townPath], picked?.length === 9 ? picked : undefined);
        onChange?.(picked?.slice(0, 6));
      }}
    />
  );
}
