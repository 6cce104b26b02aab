/**
 * One register command in a drawer: the form, the submission (one Idempotency-Key per submission, kept
 * for a retry of the same one, so a double click or a resent request never writes twice), the API's field
 * problems on their fields, a refusal (decide.ts) as an alert in the API's words, and on success what
 * changed, with the register's queries refreshed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Result, Space } from 'antd';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { maskCitizenId } from '../../../../../src/standards/masking';
import { ApiError } from '../../../api/client';
import type { HouseholdView } from '../../../api/register';
import { errorMessage } from '../../../app/states';
import { newKey } from '../../applications/api';
import { useOfficer } from '../../accounts/session';
import { sendCommand, type CommandResult, type CommandType } from './api';
import { COMMAND_FORMS, type CommandContext, type FormValues } from './forms';
import { withDeclaredUnknowns } from './fields';
import { useT } from './texts';

export function CommandDrawer({
  type,
  ctx,
  onClose,
}: {
  readonly type: CommandType | undefined;
  readonly ctx: CommandContext;
  readonly onClose: () => void;
}) {
  const t = useT();
  return (
    <Drawer
      open={type !== undefined}
      onClose={onClose}
      title={type ? t(`commands.${type}`) : ''}
      size="large"
      destroyOnHidden
    >
      {type ? <CommandFormView key={type} type={type} ctx={ctx} onClose={onClose} /> : null}
    </Drawer>
  );
}

/** The form's value without the fields only the form uses (`_…`) and without empty values. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('_') || v === undefined || v === null || v === '') continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/** The API's field path (`body.person.birthDate`, `body.members.0.relationship`) as a form field name. */
function fieldOf(path: string): (string | number)[] {
  return path
    .replace(/^body\.?/, '')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

interface Done {
  readonly result: CommandResult;
  readonly body: FormValues;
}

function CommandFormView({
  type,
  ctx,
  onClose,
}: {
  readonly type: CommandType;
  readonly ctx: CommandContext;
  readonly onClose: () => void;
}) {
  const t = useT();
  const officer = useOfficer();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const spec = COMMAND_FORMS[type];
  const [error, setError] = useState<{ title: string; detail?: string } | undefined>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | undefined>();
  const key = useRef(newKey());
  const inFlight = useRef(false);

  const showProblem = (e: unknown) => {
    if (e instanceof ApiError && e.fieldProblems.length > 0) {
      const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
      const fields = new Map<string, { name: (string | number)[]; errors: string[] }>();
      const unplaced: string[] = [];
      for (const p of e.fieldProblems) {
        const name = fieldOf(p.path);
        const k = name.join('.');
        if (!known.has(k)) {
          unplaced.push(p.message);
          continue;
        }
        const f = fields.get(k) ?? { name, errors: [] };
        f.errors.push(p.message);
        fields.set(k, f);
      }
      form.setFields([...fields.values()]);
      setError({ title: t('formErrors'), ...(unplaced.length ? { detail: unplaced.join(' ') } : {}) });
    } else if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
      setError({ title: t('refused'), detail: e.message });
    } else setError({ title: t('failed'), detail: errorMessage(e, '') });
  };

  const submit = async () => {
    // A second click while the first is on its way sends nothing.
    if (inFlight.current) return;
    inFlight.current = true;
    setError(undefined);
    try {
      let values: FormValues;
      try {
        await form.validateFields();
        values = form.getFieldsValue(true) as FormValues;
      } catch {
        setError({ title: t('formErrors') });
        return;
      }
      const shaped = spec.build ? spec.build(values, ctx) : values;
      const body = withDeclaredUnknowns(clean({ ...shaped, ...spec.fixed(ctx) })) as FormValues;
      setBusy(true);
      try {
        const result = await sendCommand(type, body, { csrf: officer.csrfToken, key: key.current });
        setDone({ result, body });
        void queryClient.invalidateQueries({ queryKey: ['register'] });
      } catch (e) {
        // A refusal is stored under its key: a corrected form is a new submission with a new key.
        // Without an answer (network, 5xx) the same key goes again, so the retry cannot write twice.
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) key.current = newKey();
        showProblem(e);
      }
    } finally {
      inFlight.current = false;
      setBusy(false);
    }
  };

  if (done) return <DoneView done={done} ctx={ctx} type={type} onClose={onClose} />;

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={spec.initial?.(ctx) ?? {}}
      onValuesChange={() => setError(undefined)}
      data-testid="command-form"
    >
      {error ? (
        <Alert
          type="error"
          showIcon
          message={error.title}
          description={error.detail ? <span role="alert">{error.detail}</span> : undefined}
          role="alert"
          style={{ marginBottom: 16 }}
          data-testid="command-error"
        />
      ) : null}
      <spec.Fields ctx={ctx} />
      <Space>
        <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="command-submit">
          {t('submit')}
        </Button>
        <Button onClick={onClose}>{t('cancel')}</Button>
      </Space>
    </Form>
  );
}

function DoneView({
  done,
  ctx,
  type,
  onClose,
}: {
  readonly done: Done;
  readonly ctx: CommandContext;
  readonly type: CommandType;
  readonly onClose: () => void;
}) {
  const t = useT();
  const { result, body } = done;
  const queryClient = useQueryClient();
  const names = new Map<string, string>();
  for (const m of ctx.household?.members ?? []) names.set(m.person.id, m.person.name);
  if (ctx.person) names.set(ctx.person.id, ctx.person.name);
  const newName = (body.person as { name?: string } | undefined)?.name;
  const numbers = new Map<string, string>();
  // Households the page or a household picker has loaded give their numbers.
  for (const [, view] of queryClient.getQueriesData<HouseholdView>({
    queryKey: ['register', 'household'],
  }))
    if (view?.household) numbers.set(view.household.id, view.household.householdNumber);
  if (ctx.household) numbers.set(ctx.household.household.id, ctx.household.household.householdNumber);
  return (
    <Result
      status="success"
      title={<span data-testid="command-done">{t('done', { action: t(`commands.${type}`) })}</span>}
      subTitle={t('doneLead')}
      extra={
        <Button type="primary" onClick={onClose}>
          {t('close')}
        </Button>
      }
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('effectiveOn')}>{result.effectiveDate}</Descriptions.Item>
        {result.citizenId ? (
          <Descriptions.Item label={t('allocatedId')}>
            <span data-testid="allocated-id">{maskCitizenId(result.citizenId)}</span>
          </Descriptions.Item>
        ) : null}
        {result.householdNumbers.map((n) => (
          <Descriptions.Item key={n} label={t('newHouseholdNumber')}>
            <Link to={`/console/households/${n}`}>{n}</Link>
          </Descriptions.Item>
        ))}
        {result.personIds.length > 0 ? (
          <Descriptions.Item label={t('changedPersons')}>
            <Space wrap>
              {result.personIds.map((id) => (
                <Link key={id} to={`/console/persons/${id}`}>
                  {names.get(id) ?? newName ?? t('openPerson')}
                </Link>
              ))}
            </Space>
          </Descriptions.Item>
        ) : null}
        {result.householdIds.length > 0 ? (
          <Descriptions.Item label={t('changedHouseholds')}>
            <Space wrap>
              {result.householdIds.map((id, i) => (
                <Link key={id} to={`/console/households/${id}`}>
                  {(numbers.get(id) ?? result.householdNumbers[i])
                    ? t('openHousehold', { number: numbers.get(id) ?? result.householdNumbers[i] ?? '' })
                    : t('householdPage')}
                </Link>
              ))}
            </Space>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Result>
  );
}
