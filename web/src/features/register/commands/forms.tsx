/**
 * The twelve register command forms. Each form's field names follow the command's body
 * (src/register/commands.ts) path for path, so a field problem the API names (`body.person.birthDate`)
 * lands on the field of the same name. The ids the page already knows (the person, the household) are
 * added by `fixed`; `build` shapes a body the fields cannot mirror directly.
 */
import { Button, Card, Form, Input, Radio, Typography } from 'antd';
import type { ComponentType } from 'react';
import type { HouseholdView, RegisterPerson } from '../../../api/register';
import type { CommandType } from './api';
import {
  CodeSelect,
  DateItem,
  DivisionSelect,
  HouseholdPicker,
  MemberSelect,
  NewHouseholdFields,
  NewPersonFields,
  RULES,
  useRule,
} from './fields';
import { useT } from './texts';

/** What the page knows when a form opens: the person (person page) and their or the page's household. */
export interface CommandContext {
  readonly person?: RegisterPerson;
  readonly household?: HouseholdView;
}

export type FormValues = Record<string, unknown>;

export interface CommandForm {
  readonly Fields: ComponentType<{ readonly ctx: CommandContext }>;
  readonly fixed: (ctx: CommandContext) => Record<string, unknown>;
  readonly initial?: (ctx: CommandContext) => FormValues;
  readonly build?: (values: FormValues, ctx: CommandContext) => FormValues;
}

const members = (ctx: CommandContext) => (ctx.household?.members ?? []).map((m) => m.person);
/** The person heads their household and others remain: the command must name the successor. */
const mustNameHead = (ctx: CommandContext) =>
  ctx.person !== undefined &&
  ctx.household?.household.headPersonId === ctx.person.id &&
  ctx.household.members.length > 1;
const NOT_MEMBER_RELATIONSHIPS = ['01', '02'];

function EffectiveDate({ min }: { readonly min?: string }) {
  const t = useT();
  return <DateItem name={['effectiveDate']} label={t('effectiveDate')} optional {...(min ? { min } : {})} />;
}

function NewHead({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  if (!mustNameHead(ctx)) return null;
  return (
    <Form.Item
      name="newHeadPersonId"
      label={t('newHead')}
      extra={t('newHeadHint')}
      rules={[{ required: true, message: t('required') }]}
    >
      <MemberSelect members={members(ctx)} except={ctx.person ? [ctx.person.id] : []} />
    </Form.Item>
  );
}

function Relationship({ name = ['relationship'] }: { readonly name?: (string | number)[] }) {
  const t = useT();
  return (
    <Form.Item name={name} label={t('relationship')} rules={[{ required: true, message: t('required') }]}>
      <CodeSelect table="relationship" except={NOT_MEMBER_RELATIONSHIPS} />
    </Form.Item>
  );
}

function TextItem({
  name,
  label,
  rule: schema,
  optional,
  long,
  extra,
}: {
  readonly name: string;
  readonly label: string;
  readonly rule: (typeof RULES)[keyof typeof RULES];
  readonly optional?: boolean;
  readonly long?: boolean;
  readonly extra?: string;
}) {
  const rule = useRule();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[rule(schema, { optional: optional ?? false })]}
      {...(extra ? { extra } : {})}
    >
      {long ? <Input.TextArea rows={3} maxLength={500} /> : <Input style={{ maxWidth: 320 }} />}
    </Form.Item>
  );
}

function DeathFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  return (
    <>
      <DateItem
        name={['dateOfDeath']}
        label={t('dateOfDeath')}
        {...(ctx.person ? { min: ctx.person.birthDate } : {})}
      />
      <TextItem name="deathCertificateNumber" label={t('deathCertificateNumber')} rule={RULES.certificate} />
      <NewHead ctx={ctx} />
    </>
  );
}

function MoveOutFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  return (
    <>
      <Form.Item
        name="toDivision"
        label={t('toDivision')}
        rules={[{ required: true, message: t('required') }]}
      >
        <DivisionSelect />
      </Form.Item>
      <TextItem name="permitNumber" label={t('permitNumberOptional')} rule={RULES.optionalPermit} optional />
      <NewHead ctx={ctx} />
      <EffectiveDate />
    </>
  );
}

function MoveWithinCityFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  return (
    <>
      <Form.Item
        name="toHouseholdId"
        label={t('toHousehold')}
        rules={[{ required: true, message: t('required') }]}
      >
        <HouseholdPicker />
      </Form.Item>
      <Relationship />
      <NewHead ctx={ctx} />
      <EffectiveDate />
    </>
  );
}

function EstablishFields({ ctx }: { readonly ctx: CommandContext }) {
  return (
    <>
      <NewHouseholdFields prefix="household" />
      <NewHead ctx={ctx} />
      <EffectiveDate />
    </>
  );
}

const CORRECTABLE = [
  'name',
  'sex',
  'birthDate',
  'ethnicity',
  'birthplace',
  'education',
  'maritalStatus',
  'occupation',
  'servicePlace',
  'citizenId',
] as const;
const CODE_FIELDS: Partial<Record<(typeof CORRECTABLE)[number], string>> = {
  sex: 'sex',
  ethnicity: 'ethnicity',
  education: 'education',
  maritalStatus: 'marital-status',
};

function CorrectionFields() {
  const t = useT();
  const rule = useRule();
  const form = Form.useFormInstance();
  const field = Form.useWatch('field', form) as (typeof CORRECTABLE)[number] | undefined;
  const table = field ? CODE_FIELDS[field] : undefined;
  return (
    <>
      <Form.Item name="field" label={t('field')} rules={[{ required: true, message: t('required') }]}>
        <Radio.Group
          onChange={() => form.setFieldValue('value', undefined)}
          options={CORRECTABLE.map((f) => ({ value: f, label: t(`correctable.${f}`) }))}
        />
      </Form.Item>
      {field === 'birthDate' ? (
        <DateItem name={['value']} label={t('value')} />
      ) : table ? (
        <Form.Item name="value" label={t('value')} rules={[{ required: true, message: t('required') }]}>
          <CodeSelect table={table} {...(field === 'sex' ? { only: ['1', '2'] } : {})} />
        </Form.Item>
      ) : field === 'birthplace' ? (
        <Form.Item name="value" label={t('value')} rules={[{ required: true, message: t('required') }]}>
          <DivisionSelect />
        </Form.Item>
      ) : (
        <Form.Item
          name="value"
          label={t('value')}
          rules={[rule(field === 'citizenId' ? RULES.citizenId : RULES.correctionValue)]}
        >
          <Input maxLength={200} style={{ maxWidth: 320 }} />
        </Form.Item>
      )}
      <TextItem name="reason" label={t('reason')} rule={RULES.reason} long />
      <TextItem name="evidence" label={t('evidence')} rule={RULES.evidence} />
      <EffectiveDate />
    </>
  );
}

function RelationshipChangeFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  const head = ctx.household?.household.headPersonId ?? undefined;
  return (
    <>
      {ctx.person ? null : (
        <Form.Item name="personId" label={t('member')} rules={[{ required: true, message: t('required') }]}>
          <MemberSelect members={members(ctx)} except={head ? [head] : []} />
        </Form.Item>
      )}
      <Relationship />
      <EffectiveDate />
    </>
  );
}

function BirthFields() {
  const t = useT();
  return (
    <>
      <NewPersonFields />
      <Relationship />
      <TextItem name="birthCertificateNumber" label={t('birthCertificateNumber')} rule={RULES.certificate} />
    </>
  );
}

function MoveInFields() {
  const t = useT();
  return (
    <>
      <NewPersonFields withId adult />
      <Relationship />
      <TextItem name="permitNumber" label={t('permitNumber')} rule={RULES.certificate} />
      <Form.Item
        name="fromDivision"
        label={t('fromDivision')}
        rules={[{ required: true, message: t('required') }]}
      >
        <DivisionSelect />
      </Form.Item>
      <EffectiveDate />
    </>
  );
}

function SplitFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  const form = Form.useFormInstance();
  const headPersonId = Form.useWatch('headPersonId', form) as string | undefined;
  const moving = (Form.useWatch('members', form) as { personId?: string }[] | undefined) ?? [];
  const all = members(ctx);
  const oldHead = ctx.household?.household.headPersonId;
  const leaving = new Set([headPersonId, ...moving.map((m) => m.personId)].filter(Boolean));
  const needsHead =
    oldHead !== null && oldHead !== undefined && leaving.has(oldHead) && leaving.size < all.length;
  return (
    <>
      <Form.Item
        name="headPersonId"
        label={t('headPerson')}
        rules={[{ required: true, message: t('required') }]}
      >
        <MemberSelect members={all} />
      </Form.Item>
      <Typography.Text strong>{t('splitMembers')}</Typography.Text>
      <Form.List name="members">
        {(fields, { add, remove }) => (
          <div className="stack" style={{ margin: '8px 0 16px' }}>
            {fields.map((f) => (
              <Card key={f.key} size="small">
                <Form.Item
                  name={[f.name, 'personId']}
                  label={t('member')}
                  rules={[{ required: true, message: t('required') }]}
                >
                  <MemberSelect members={all} {...(headPersonId ? { except: [headPersonId] } : {})} />
                </Form.Item>
                <Relationship name={[f.name, 'relationship']} />
                <Button size="small" danger onClick={() => remove(f.name)}>
                  {t('remove')}
                </Button>
              </Card>
            ))}
            <Button onClick={() => add({})} style={{ alignSelf: 'flex-start' }}>
              {t('addMember')}
            </Button>
          </div>
        )}
      </Form.List>
      <Typography.Text strong>{t('newHouseholdTitle')}</Typography.Text>
      <NewHouseholdFields prefix="household" />
      {needsHead ? (
        <Form.Item
          name="newHeadPersonId"
          label={t('newHead')}
          extra={t('newHeadHint')}
          rules={[{ required: true, message: t('required') }]}
        >
          <MemberSelect members={all} except={[...leaving] as string[]} />
        </Form.Item>
      ) : null}
      <EffectiveDate />
    </>
  );
}

/** Everyone but the new head, each with a relationship to the new head (the old head included). */
const othersThanNewHead = (ctx: CommandContext, newHead: unknown) =>
  members(ctx).filter((m) => m.id !== newHead);

function HeadChangeFields({ ctx }: { readonly ctx: CommandContext }) {
  const t = useT();
  const form = Form.useFormInstance();
  const newHead = Form.useWatch('newHeadPersonId', form) as string | undefined;
  const head = ctx.household?.household.headPersonId ?? undefined;
  return (
    <>
      <Form.Item
        name="newHeadPersonId"
        label={t('newHead')}
        rules={[{ required: true, message: t('required') }]}
      >
        <MemberSelect members={members(ctx)} except={head ? [head] : []} />
      </Form.Item>
      {newHead
        ? othersThanNewHead(ctx, newHead).map((m, i) => (
            <Form.Item
              key={`${newHead}-${m.id}`}
              name={['relationships', i, 'relationship']}
              label={t('relationshipToNewHead', { name: m.name })}
              rules={[{ required: true, message: t('required') }]}
            >
              <CodeSelect table="relationship" except={NOT_MEMBER_RELATIONSHIPS} />
            </Form.Item>
          ))
        : null}
      <EffectiveDate />
    </>
  );
}

function BookletFields() {
  const t = useT();
  return (
    <>
      <Form.Item
        name="reason"
        label={t('bookletReason')}
        rules={[{ required: true, message: t('required') }]}
      >
        <Radio.Group
          options={(['first', 'replacement', 'on-request'] as const).map((r) => ({
            value: r,
            label: t(`bookletReasons.${r}`),
          }))}
        />
      </Form.Item>
      <EffectiveDate />
    </>
  );
}

function NoHukouFields() {
  const t = useT();
  const form = Form.useFormInstance();
  const destination = (Form.useWatch('_destination', form) as string | undefined) ?? 'existing';
  return (
    <>
      <Typography.Text strong>{t('newPerson')}</Typography.Text>
      <NewPersonFields adult />
      <Form.Item name="_destination" label={t('destination')} initialValue="existing">
        <Radio.Group
          options={[
            { value: 'existing', label: t('existingHousehold') },
            { value: 'new', label: t('newHousehold') },
          ]}
        />
      </Form.Item>
      {destination === 'new' ? (
        <NewHouseholdFields prefix="newHousehold" />
      ) : (
        <>
          <Form.Item
            name="householdId"
            label={t('toHousehold')}
            rules={[{ required: true, message: t('required') }]}
          >
            <HouseholdPicker />
          </Form.Item>
          <Relationship />
        </>
      )}
      <TextItem name="basis" label={t('basis')} rule={RULES.basis} long extra={t('basisHint')} />
      <EffectiveDate />
    </>
  );
}

const personId = (ctx: CommandContext) => ({ personId: ctx.person?.id });
const householdId = (ctx: CommandContext) => ({ householdId: ctx.household?.household.id });

export const COMMAND_FORMS: Record<CommandType, CommandForm> = {
  'death-cancellation': { Fields: DeathFields, fixed: personId },
  'move-out': { Fields: MoveOutFields, fixed: personId },
  'move-within-city': { Fields: MoveWithinCityFields, fixed: personId },
  'household-establishment': {
    Fields: EstablishFields,
    fixed: (ctx) => ({ headPersonId: ctx.person?.id }),
    initial: (ctx) => ({
      household: {
        type: 'family',
        address: { countyCode: ctx.household?.household.address.countyCode ?? ctx.person?.countyCode },
      },
    }),
  },
  correction: { Fields: CorrectionFields, fixed: personId },
  'relationship-change': {
    Fields: RelationshipChangeFields,
    fixed: (ctx) => ({ ...householdId(ctx), ...(ctx.person ? personId(ctx) : {}) }),
  },
  'birth-registration': {
    Fields: BirthFields,
    fixed: householdId,
  },
  'move-in': { Fields: MoveInFields, fixed: householdId },
  'household-split': {
    Fields: SplitFields,
    fixed: (ctx) => ({ fromHouseholdId: ctx.household?.household.id }),
    initial: (ctx) => ({
      members: [],
      household: { type: 'family', address: { countyCode: ctx.household?.household.address.countyCode } },
    }),
  },
  'head-change': {
    Fields: HeadChangeFields,
    fixed: householdId,
    build: (values, ctx) => {
      const chosen = (values.relationships as { relationship?: string }[] | undefined) ?? [];
      return {
        ...values,
        relationships: othersThanNewHead(ctx, values.newHeadPersonId).map((m, i) => ({
          personId: m.id,
          relationship: chosen[i]?.relationship,
        })),
      };
    },
  },
  'booklet-issue': { Fields: BookletFields, fixed: householdId },
  'no-hukou-registration': {
    Fields: NoHukouFields,
    fixed: () => ({}),
    // A new household's first member becomes its head (02) whatever the form says.
    build: (values) =>
      values._destination === 'new'
        ? { ...values, householdId: undefined, relationship: '02' }
        : { ...values, newHousehold: undefined },
  },
};

/** Where each form starts. */
export const PERSON_COMMANDS: readonly CommandType[] = [
  'death-cancellation',
  'move-out',
  'move-within-city',
  'household-establishment',
  'correction',
  'relationship-change',
];
export const HOUSEHOLD_COMMANDS: readonly CommandType[] = [
  'birth-registration',
  'move-in',
  'household-split',
  'head-change',
  'booklet-issue',
  'relationship-change',
];
