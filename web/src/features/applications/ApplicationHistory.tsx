/**
 * The application's record (办理记录) on the officer's page: every step with its time, who took it, what
 * it led to, and what was said with it — a review's recommendation and note, the items of a return, the
 * county government's document, and the article and sentence a refusal or an approval against the
 * engine rests on, with the reason.
 */
import { Table } from 'antd';
import { useLocalText } from '../../app/lang';
import type { Citation, HistoryEntry } from './api';
import { useT } from './texts';
import { formatChinaDateTime } from '../../app/time';

function CitationText({ citation }: { readonly citation: Citation }) {
  const t = useT();
  const text = useLocalText();
  return (
    <>
      {t('citing', { article: citation.article })}“{citation.quote}” {text(citation.explanation)}
    </>
  );
}

function Details({ entry }: { readonly entry: HistoryEntry }) {
  const t = useT();
  const text = useLocalText();
  const a = entry.action;
  if (!a) return null;
  const note = typeof a.note === 'string' ? a.note : text(a.note);
  return (
    <>
      {a.recommendation ? (
        <div>{a.recommendation === 'approve' ? t('recApprove') : t('recRefuse')}</div>
      ) : null}
      {note ? <div>{note}</div> : null}
      {a.changes && a.changes.length > 0 ? <div>{t('historyChanges', { n: a.changes.length })}</div> : null}
      {(a.corrections ?? []).map((c) => (
        <div key={c.field} data-testid="history-correction">
          {t('historyCorrection', {
            label: text(c.label),
            before: text(c.beforeText),
            after: text(c.afterText),
          })}
        </div>
      ))}
      {a.document ? <div>{t('historyDocument', { document: a.document })}</div> : null}
      {a.reason ? <CitationText citation={a.reason} /> : null}
      {a.justification ? <CitationText citation={a.justification} /> : null}
    </>
  );
}

export function ApplicationHistory({ history }: { readonly history: readonly HistoryEntry[] }) {
  const t = useT();
  const text = useLocalText();
  return (
    <Table
      rowKey={(e) => `${e.at}/${text(e.label)}`}
      size="small"
      pagination={false}
      data-testid="history"
      dataSource={[...history]}
      columns={[
        {
          title: t('historyAt'),
          render: (_: unknown, e: HistoryEntry) => formatChinaDateTime(e.at),
        },
        {
          title: t('historyBy'),
          render: (_: unknown, e: HistoryEntry) => text(e.by),
        },
        { title: t('historyStep'), render: (_: unknown, e: HistoryEntry) => text(e.label) },
        { title: t('state'), render: (_: unknown, e: HistoryEntry) => text(e.stateLabel) },
        { title: t('historyDetails'), render: (_: unknown, e: HistoryEntry) => <Details entry={e} /> },
      ]}
    />
  );
}
