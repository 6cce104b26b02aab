/**
 * The audit administrator's screen (security.md § Audit): the hash-chained audit trail, newest first,
 * filtered by time, actor and outcome, and a check of every chain that reports edited, removed or
 * reordered entries. Only the audit administrator reaches it (the server refuses everyone else).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  auditKeys,
  fetchAuditEntries,
  verifyAudit,
  type AuditEntry,
  type AuditFilter,
} from '../../api/audit';
import { useLocalText } from '../../app/lang';
import { ErrorState, QueryView } from '../../app/states';
import { formatChinaDateTime } from '../../app/time';

const T = {
  title: { zh: '审计记录', en: 'Audit trail' },
  lead: {
    zh: '每次登录、拒绝访问、个人信息读取和记录变更都有一条审计记录，按哈希链相连，任何修改、删除或调换都能被发现。',
    en: 'Every sign-in, refused access, read of personal data and change is an audit entry, hash-chained so that any edit, removal or reordering is found.',
  },
  since: { zh: '起始日期', en: 'since' },
  until: { zh: '截止日期', en: 'until' },
  actor: { zh: '操作人（账号或编号）', en: 'actor (username or id)' },
  outcome: { zh: '结果', en: 'outcome' },
  any: { zh: '全部', en: 'any' },
  verify: { zh: '校验哈希链', en: 'verify the chains' },
  intact: { zh: '全部哈希链完整', en: 'every chain is intact' },
  broken: { zh: '发现问题', en: 'problems found' },
  entries: { zh: '条记录', en: 'entries' },
  more: { zh: '更早的记录', en: 'older entries' },
  at: { zh: '时间', en: 'time' },
  who: { zh: '操作人', en: 'actor' },
  action: { zh: '操作', en: 'action' },
  object: { zh: '对象', en: 'object' },
  source: { zh: '来源地址', en: 'source' },
  request: { zh: '请求号', en: 'request id' },
} as const;

const OUTCOMES = {
  success: { zh: '成功', en: 'success', color: 'green' },
  refused: { zh: '拒绝', en: 'refused', color: 'orange' },
  failed: { zh: '失败', en: 'failed', color: 'red' },
} as const;

const PROBLEMS: Record<string, { zh: string; en: string }> = {
  edited: { zh: '内容被修改', en: 'edited' },
  removed: { zh: '记录被删除', en: 'removed' },
  reordered: { zh: '顺序被调换', en: 'reordered' },
  'broken-link': { zh: '链接断开', en: 'broken link' },
  'head-mismatch': { zh: '链头不符', en: 'head mismatch' },
};

export function AuditPage() {
  const text = useLocalText();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState<AuditFilter>({});
  const entries = useQuery({
    queryKey: auditKeys.entries(filter),
    queryFn: ({ signal }) => fetchAuditEntries(filter, signal),
  });
  const verification = useMutation({ mutationFn: verifyAudit });
  const columns = [
    { title: text(T.at), dataIndex: 'at', render: (at: string) => formatChinaDateTime(at) },
    {
      title: text(T.who),
      render: (_: unknown, e: AuditEntry) => {
        // Sign-in attempts and officers carry the username; the id is kept for the record.
        const username = (e.details as { username?: unknown } | null)?.username;
        return (
          <span title={e.actorId}>
            {typeof username === 'string' ? username : e.actorId}{' '}
            <span className="muted">{e.roles.join(', ') || e.actorKind}</span>
          </span>
        );
      },
    },
    { title: text(T.action), dataIndex: 'action' },
    {
      title: text(T.object),
      render: (_: unknown, e: AuditEntry) => (e.objectType ? `${e.objectType} ${e.objectId ?? ''}` : '—'),
    },
    {
      title: text(T.outcome),
      render: (_: unknown, e: AuditEntry) => (
        <Tag color={OUTCOMES[e.outcome].color}>
          {text(OUTCOMES[e.outcome])} {e.status ?? ''}
        </Tag>
      ),
    },
    { title: text(T.source), dataIndex: 'sourceAddress' },
    { title: text(T.request), dataIndex: 'requestId', render: (id: string | null) => <code>{id}</code> },
  ];
  return (
    <div className="stack">
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 8 }}>
        {text(T.title)}
      </Typography.Title>
      <Typography.Paragraph>{text(T.lead)}</Typography.Paragraph>
      <Card>
        <Space wrap>
          <DatePicker
            placeholder={text(T.since)}
            aria-label={text(T.since)}
            onChange={(d) => setDraft({ ...draft, since: d ? d.format('YYYY-MM-DD') : undefined })}
          />
          <DatePicker
            placeholder={text(T.until)}
            aria-label={text(T.until)}
            onChange={(d) => setDraft({ ...draft, until: d ? d.format('YYYY-MM-DD') : undefined })}
          />
          <Input
            placeholder={text(T.actor)}
            aria-label={text(T.actor)}
            onChange={(e) => setDraft({ ...draft, actor: e.target.value.trim() || undefined })}
            style={{ width: 220 }}
          />
          <Select
            aria-label={text(T.outcome)}
            value={draft.outcome ?? ''}
            onChange={(v: string) =>
              setDraft({ ...draft, outcome: (v || undefined) as AuditFilter['outcome'] })
            }
            options={[
              { value: '', label: text(T.any) },
              ...Object.entries(OUTCOMES).map(([value, label]) => ({ value, label: text(label) })),
            ]}
            style={{ width: 120 }}
          />
          <Button type="primary" onClick={() => setFilter({ ...draft })}>
            OK
          </Button>
          <Button onClick={() => verification.mutate()} loading={verification.isPending}>
            {text(T.verify)}
          </Button>
        </Space>
      </Card>
      {verification.error ? <ErrorState error={verification.error} /> : null}
      {verification.data ? (
        <Alert
          type={verification.data.isIntact ? 'success' : 'error'}
          showIcon
          message={`${text(verification.data.isIntact ? T.intact : T.broken)} · ${verification.data.entries} ${text(T.entries)}`}
          description={
            verification.data.isIntact ? null : (
              <ul>
                {verification.data.chains.flatMap((c) =>
                  c.problems.map((p) => (
                    <li key={`${p.chain}-${p.seq}-${p.kind}`}>
                      {p.chain} #{p.seq}: {text(PROBLEMS[p.kind] ?? { zh: p.kind, en: p.kind })}
                    </li>
                  )),
                )}
              </ul>
            )
          }
        />
      ) : null}
      <QueryView query={entries}>
        {(page) => (
          <>
            <Table
              rowKey={(e) => `${e.chain}-${e.seq}`}
              dataSource={page.items}
              columns={columns}
              pagination={false}
              size="small"
              scroll={{ x: true }}
            />
            {page.nextCursor ? (
              <Button onClick={() => setFilter({ ...filter, cursor: page.nextCursor ?? undefined })}>
                {text(T.more)}
              </Button>
            ) : null}
          </>
        )}
      </QueryView>
    </div>
  );
}
