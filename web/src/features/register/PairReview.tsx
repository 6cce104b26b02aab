/**
 * One suspected duplicate pair (一人多户): both registrations side by side, the evidence, the recorded
 * verdict, and the officer's two actions — "not the same person" (with what was checked), or "the same
 * person": choose the registration to keep and cancel the other through the ledger (注销重复户口),
 * naming a new head when the cancelled record heads a household with other members. Each POST keeps its
 * own Idempotency-Key across retries; a refusal renews it, as a corrected form is a new submission.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { fetchHousehold, registerKeys, type DuplicatePairView, type DuplicateSide } from '../../api/register';
import { useLocalText } from '../../app/lang';
import { errorMessage } from '../../app/states';
import { useOfficer } from '../accounts/session';
import { newKey, post } from '../applications/api';
import { RULES, useRule } from './commands/fields';
import { useDuplicateTexts, type DuplicateTextKey } from './duplicates-texts';
import { useCodeLabel } from './labels';
import { formatChinaDateTime } from '../../app/time';

/** What the page announces once a pair is dealt with (the pair itself leaves the open list). */
export type ReviewNotice =
  | { readonly kind: 'distinct'; readonly a: string; readonly b: string }
  | { readonly kind: 'cancelled'; readonly personId: string; readonly name: string; readonly kept: string };

type Mode = 'idle' | 'distinct' | 'same';

function stateOf(pair: DuplicatePairView): DuplicateTextKey {
  if (!pair.review) return 'states.open';
  if (pair.review.verdict === 'not-duplicate') return 'states.distinct';
  return pair.review.resolvedEventId ? 'states.resolved' : 'states.confirmed';
}

function SidesTable({ pair }: { readonly pair: DuplicatePairView }) {
  const t = useDuplicateTexts();
  const { t: tr } = useTranslation();
  const label = useCodeLabel();
  const sides = [pair.a, pair.b];
  const rows: { key: DuplicateTextKey; cell: (s: DuplicateSide) => ReactNode }[] = [
    {
      key: 'name',
      cell: (s) => <Link to={`/console/persons/${s.personId}`}>{s.name ?? s.personId}</Link>,
    },
    { key: 'citizenId', cell: (s) => s.citizenId ?? '' },
    { key: 'sex', cell: (s) => label('sex', s.sex) },
    { key: 'birthDate', cell: (s) => s.birthDate ?? '' },
    {
      key: 'household',
      cell: (s) =>
        s.householdId && s.householdNumber ? (
          <Link to={`/console/households/${s.householdId}`}>{s.householdNumber}</Link>
        ) : (
          t('noHousehold')
        ),
    },
    {
      key: 'status',
      cell: (s) =>
        s.status ? (
          <Tag color={s.status === 'active' ? 'green' : 'default'}>
            {tr(`console.personStatus.${s.status}`)}
          </Tag>
        ) : null,
    },
  ];
  return (
    <table className="pair-sides" style={{ width: '100%', borderCollapse: 'collapse' }}>
      <thead>
        <tr>
          <th scope="col" style={{ textAlign: 'left', width: '20%' }}>
            {t('field')}
          </th>
          <th scope="col" style={{ textAlign: 'left', width: '40%' }}>
            {t('sideA')}
          </th>
          <th scope="col" style={{ textAlign: 'left', width: '40%' }}>
            {t('sideB')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} style={{ borderTop: '1px solid #f0f0f0' }}>
            <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal', padding: '4px 0' }}>
              {t(row.key)}
            </th>
            {sides.map((s, i) => (
              <td key={i} style={{ padding: '4px 8px 4px 0' }}>
                {row.cell(s)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A refusal in the server's words, or a plain sentence when nothing answered. */
function useProblem() {
  const t = useDuplicateTexts();
  const [problem, setProblem] = useState<{ title: string; detail: string } | undefined>();
  const show = (e: unknown) =>
    setProblem(
      e instanceof ApiError && e.status >= 400 && e.status < 500
        ? { title: t('refused'), detail: e.message }
        : { title: t('failed'), detail: errorMessage(e, '') },
    );
  const view = problem ? (
    <Alert
      type="error"
      showIcon
      message={problem.title}
      description={<span role="alert">{problem.detail}</span>}
      style={{ marginBottom: 12 }}
      data-testid="review-error"
    />
  ) : null;
  return { show, clear: () => setProblem(undefined), view };
}

/** One POST with a key kept across retries and renewed after a refusal. */
function useKeyedPost() {
  const key = useRef(newKey());
  const officer = useOfficer();
  return async <T,>(path: string, json: object): Promise<T> => {
    try {
      return await post<T>(path, { csrf: officer.csrfToken, key: key.current, json });
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) key.current = newKey();
      throw e;
    }
  };
}

function DistinctForm({
  pair,
  onCancel,
  onDone,
}: {
  readonly pair: DuplicatePairView;
  readonly onCancel: () => void;
  readonly onDone: (notice: ReviewNotice) => void;
}) {
  const t = useDuplicateTexts();
  const rule = useRule();
  const [form] = Form.useForm<{ note: string }>();
  const send = useKeyedPost();
  const problem = useProblem();
  const [busy, setBusy] = useState(false);
  const submit = async (values: { note: string }) => {
    if (busy) return;
    problem.clear();
    setBusy(true);
    try {
      await send('/api/v1/register/duplicates/review', {
        a: pair.a.personId,
        b: pair.b.personId,
        verdict: 'not-duplicate',
        note: values.note.trim(),
      });
      onDone({ kind: 'distinct', a: pair.a.name ?? '', b: pair.b.name ?? '' });
    } catch (e) {
      problem.show(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
      {problem.view}
      <Form.Item name="note" label={t('note')} extra={t('noteHelp')} rules={[rule(RULES.reason)]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('confirmDistinct')}
        </Button>
        <Button onClick={onCancel}>{t('cancel')}</Button>
      </Space>
    </Form>
  );
}

interface SameValues {
  keep: 'a' | 'b';
  reason: string;
  newHeadPersonId?: string;
}

function SameForm({
  pair,
  onCancel,
  onDone,
}: {
  readonly pair: DuplicatePairView;
  readonly onCancel: () => void;
  readonly onDone: (notice: ReviewNotice) => void;
}) {
  const t = useDuplicateTexts();
  const rule = useRule();
  const [form] = Form.useForm<SameValues>();
  const keep = Form.useWatch('keep', form);
  const sendReview = useKeyedPost();
  const sendCancel = useKeyedPost();
  // Once the verdict is recorded, a retry of the cancellation does not record it again.
  const confirmed = useRef(pair.review?.verdict === 'duplicate');
  const problem = useProblem();
  const [busy, setBusy] = useState(false);
  const kept = keep === 'a' ? pair.a : keep === 'b' ? pair.b : undefined;
  const cancelled = keep === 'a' ? pair.b : keep === 'b' ? pair.a : undefined;
  const household = useQuery({
    queryKey: registerKeys.household(cancelled?.householdId ?? '', ''),
    queryFn: ({ signal }) => fetchHousehold(cancelled?.householdId ?? '', undefined, signal),
    enabled: Boolean(cancelled?.householdId),
  });
  const others =
    household.data && household.data.household.headPersonId === cancelled?.personId
      ? household.data.members.filter((m) => m.person.id !== cancelled?.personId)
      : [];
  const householdName = (s: DuplicateSide) =>
    s.householdNumber ? t('householdNumber', { number: s.householdNumber }) : t('noHousehold');

  const submit = async (values: SameValues) => {
    if (busy || !kept || !cancelled) return;
    problem.clear();
    setBusy(true);
    const reason = values.reason.trim();
    try {
      if (!confirmed.current) {
        await sendReview('/api/v1/register/duplicates/review', {
          a: pair.a.personId,
          b: pair.b.personId,
          verdict: 'duplicate',
          note: reason,
        });
        confirmed.current = true;
      }
      await sendCancel('/api/v1/register/duplicate-cancellation', {
        personId: cancelled.personId,
        keptPersonId: kept.personId,
        reason,
        ...(others.length > 0 && values.newHeadPersonId ? { newHeadPersonId: values.newHeadPersonId } : {}),
      });
      onDone({
        kind: 'cancelled',
        personId: cancelled.personId,
        name: cancelled.name ?? '',
        kept: kept.name ?? '',
      });
    } catch (e) {
      problem.show(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
      {problem.view}
      <Form.Item name="keep" label={t('keep')} rules={[{ required: true, message: t('required') }]}>
        <Radio.Group>
          <Space direction="vertical">
            {(['a', 'b'] as const).map((side) => {
              const s = side === 'a' ? pair.a : pair.b;
              return (
                <Radio key={side} value={side}>
                  {t('keepOption', {
                    side: t(side === 'a' ? 'sideA' : 'sideB'),
                    name: s.name ?? '',
                    household: householdName(s),
                  })}
                </Radio>
              );
            })}
          </Space>
        </Radio.Group>
      </Form.Item>
      {cancelled?.householdId && household.isPending ? (
        <Typography.Paragraph type="secondary" role="status">
          {t('loadingHousehold')}
        </Typography.Paragraph>
      ) : null}
      {household.isError ? (
        <Alert
          type="error"
          showIcon
          message={t('failed')}
          description={<span role="alert">{errorMessage(household.error, '')}</span>}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {others.length > 0 && cancelled ? (
        <Form.Item
          name="newHeadPersonId"
          label={t('newHead')}
          extra={t('newHeadHelp', { name: cancelled.name ?? '', number: cancelled.householdNumber ?? '' })}
          rules={[{ required: true, message: t('required') }]}
        >
          <Select
            placeholder={t('choose')}
            style={{ maxWidth: 320 }}
            options={others.map((m) => ({ value: m.person.id, label: m.person.name }))}
          />
        </Form.Item>
      ) : null}
      <Form.Item name="reason" label={t('reason')} extra={t('reasonHelp')} rules={[rule(RULES.reason)]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('confirmCancel')}
        </Button>
        <Button onClick={onCancel}>{t('cancel')}</Button>
      </Space>
    </Form>
  );
}

export function PairReview({
  pair,
  onDone,
}: {
  readonly pair: DuplicatePairView;
  readonly onDone: (notice: ReviewNotice) => void;
}) {
  const t = useDuplicateTexts();
  const text = useLocalText();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>('idle');
  const state = stateOf(pair);
  const isOpen = state === 'states.open' || state === 'states.confirmed';
  const done = (notice: ReviewNotice) => {
    setMode('idle');
    onDone(notice);
    void queryClient.invalidateQueries({ queryKey: ['register'] });
  };
  const time = formatChinaDateTime;
  return (
    <Card
      size="small"
      data-testid="duplicate-pair"
      title={
        <h2 className="card-title" style={{ fontSize: 16, margin: 0 }}>
          {t('pairOf', { a: pair.a.name ?? '', b: pair.b.name ?? '' })}
        </h2>
      }
      extra={
        <Space size={4} wrap>
          {pair.score !== null ? <Tag>{t('score', { score: Math.round(pair.score * 100) })}</Tag> : null}
          {pair.kind ? <Tag>{t(`kinds.${pair.kind}`)}</Tag> : null}
          <Tag color={state === 'states.confirmed' ? 'red' : state === 'states.open' ? 'blue' : 'default'}>
            {t(state)}
          </Tag>
        </Space>
      }
    >
      <SidesTable pair={pair} />
      {pair.evidence.length > 0 ? (
        <>
          <Typography.Text strong>{t('evidence')}</Typography.Text>
          <ul style={{ marginTop: 4 }}>
            {pair.evidence.map((e, i) => (
              <li key={i}>{text(e)}</li>
            ))}
          </ul>
        </>
      ) : null}
      {pair.review ? (
        <Typography.Paragraph type="secondary" data-testid="review-record">
          {t('reviewed', { time: time(pair.review.reviewedAt), note: pair.review.note ?? '' })}
          {pair.review.resolvedAt ? ` · ${t('resolvedAt', { time: time(pair.review.resolvedAt) })}` : ''}
        </Typography.Paragraph>
      ) : null}
      {isOpen && mode === 'idle' ? (
        <Space wrap>
          {state === 'states.open' ? (
            <Button onClick={() => setMode('distinct')}>{t('notSame')}</Button>
          ) : null}
          <Button onClick={() => setMode('same')}>{t('same')}</Button>
        </Space>
      ) : null}
      {mode === 'distinct' ? (
        <DistinctForm pair={pair} onCancel={() => setMode('idle')} onDone={done} />
      ) : null}
      {mode === 'same' ? <SameForm pair={pair} onCancel={() => setMode('idle')} onDone={done} /> : null}
    </Card>
  );
}
