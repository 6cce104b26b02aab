/**
 * The fields an officer returned for correction, each with the officer's reason and a control for the
 * new value (the same pickers as the application form); nothing else of the form can be edited here,
 * and the server refuses a change to a field nobody returned. A field counts as corrected once its new
 * value differs from what was declared (the server's rule, `src/services/corrections.ts`).
 */
import { Form, Input, InputNumber, Tag, Typography } from 'antd';
import { FACTS } from '../../../../src/policy/facts';
import type { CodeTableId } from '../../../../src/standards/code-tables';
import { useLocalText } from '../../app/lang';
import { CodePicker } from '../../components/CodePicker';
import { DivisionPicker } from '../../components/DivisionPicker';
import { FactInput } from '../policy/QuestionItem';
import type { ApplicationDetail, RequiredChange } from './api';
import { useT } from './texts';

export type FieldChange = Extract<RequiredChange, { kind: 'field' }>;

const CODE_TABLES: Record<string, CodeTableId> = {
  relationship: 'relationship',
  ethnicity: 'ethnicity',
  education: 'education',
  maritalStatus: 'marital-status',
};

function read(source: unknown, path: string): unknown {
  let value = source;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** What the field holds as declared (ids are masked in the page, so an id starts empty). */
export function declaredValue(a: ApplicationDetail, field: string): unknown {
  if (field.endsWith('.citizenId')) return undefined;
  return field.startsWith('facts.') ? read(a.facts, field.slice('facts.'.length)) : read(a.form, field);
}

/** The value the server receives for a field, from what the control holds. */
function outgoing(a: ApplicationDetail, field: string, v: unknown): unknown {
  if (field !== 'destination' || typeof v !== 'string') return v;
  const old = read(a.form, 'destination') as
    | { householdNumber?: string; newHousehold?: { type: string; address: Record<string, unknown> } }
    | undefined;
  if (old?.newHousehold)
    return { newHousehold: { ...old.newHousehold, address: { ...old.newHousehold.address, text: v } } };
  return { householdNumber: v };
}

const same = (x: unknown, y: unknown) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/** The corrections to send, and which returned fields are still as declared. */
export function correctionsOf(
  a: ApplicationDetail,
  changes: readonly FieldChange[],
  values: Readonly<Record<string, unknown>>,
) {
  const corrections: { field: string; value: unknown }[] = [];
  const open: FieldChange[] = [];
  for (const c of changes) {
    const has = Object.hasOwn(values, c.field);
    const value = has ? outgoing(a, c.field, values[c.field]) : undefined;
    const declared = c.field === 'destination' ? read(a.form, 'destination') : declaredValue(a, c.field);
    const changed = has && values[c.field] !== '' && !same(value, declared);
    if (changed) corrections.push({ field: c.field, value });
    else open.push(c);
  }
  return { corrections, open };
}

/** The control of one field, controlled by the page's state (the value sent is what it shows). */
function Control({
  field,
  label,
  value,
  onChange,
}: {
  readonly field: string;
  readonly label: string;
  readonly value: unknown;
  readonly onChange: (v: unknown) => void;
}) {
  const key = field.split('.').at(-1) ?? field;
  const asText = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const text = (
    <Input
      autoComplete="off"
      maxLength={key === 'citizenId' ? 18 : 200}
      aria-label={label}
      value={asText}
      onChange={(e) => onChange(e.target.value)}
    />
  );
  if (field.startsWith('facts.')) {
    const def = FACTS.get(field.slice('facts.'.length));
    const props = { value, onChange } as Record<string, unknown>;
    return def ? <FactInput def={def} {...props} /> : text;
  }
  const table = CODE_TABLES[key];
  const code = typeof value === 'string' || value === null ? value : undefined;
  if (table)
    return (
      <CodePicker
        table={table}
        allowUnknown={key === 'ethnicity'}
        aria-label={label}
        value={code}
        onChange={onChange}
      />
    );
  if (key === 'birthplace')
    return <DivisionPicker allowUnknown aria-label={label} value={code} onChange={onChange} />;
  if (field === 'fromDivision') return <DivisionPicker aria-label={label} value={code} onChange={onChange} />;
  if (key === 'leaseMonths')
    return (
      <InputNumber
        min={0}
        aria-label={label}
        value={typeof value === 'number' ? value : null}
        onChange={onChange}
      />
    );
  return text;
}

export function CorrectionFields({
  a,
  changes,
  values,
  onChange,
}: {
  readonly a: ApplicationDetail;
  readonly changes: readonly FieldChange[];
  readonly values: Readonly<Record<string, unknown>>;
  readonly onChange: (values: Record<string, unknown>) => void;
}) {
  const t = useT();
  const text = useLocalText();
  const { open } = correctionsOf(a, changes, values);
  const initial = Object.fromEntries(
    changes.map((c) => {
      const v =
        c.field === 'destination'
          ? (read(a.form, 'destination.newHousehold.address.text') ??
            read(a.form, 'destination.householdNumber'))
          : declaredValue(a, c.field);
      return [c.field, v];
    }),
  );
  return (
    <div className="stack" data-testid="correction-fields">
      <Typography.Paragraph>{t('correctLead')}</Typography.Paragraph>
      <Form layout="vertical">
        {changes.map((c) => {
          const isOpen = open.some((o) => o.field === c.field);
          const label = text(c.label);
          return (
            <div key={c.field} data-field={c.field} data-open={isOpen}>
              <Form.Item
                label={label}
                extra={
                  <span>
                    <Tag color={isOpen ? 'warning' : 'success'}>
                      {isOpen ? t('fieldOpen') : t('fieldDone')}
                    </Tag>
                    {t('returnReason', { reason: text(c.reason) })}
                  </span>
                }
              >
                <Control
                  field={c.field}
                  label={label}
                  value={Object.hasOwn(values, c.field) ? values[c.field] : initial[c.field]}
                  onChange={(v) => onChange({ ...values, [c.field]: v })}
                />
              </Form.Item>
            </div>
          );
        })}
      </Form>
    </div>
  );
}
