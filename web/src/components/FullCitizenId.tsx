/**
 * A masked citizen id with 显示完整号码 beside it for officers who hold the full-id permission: the click
 * is a separate, audited read (`*.read-full-id`, ADR 0021), so the clerk can compare the screen with the
 * identity card in front of them; nothing is fetched until asked, and the number is not kept after the page.
 */
import { Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { apiGet } from '../api/client';
import { useLang } from '../app/lang';

const TEXTS = {
  reveal: ['显示完整号码', 'Show the full number'],
  failed: ['读取失败', 'Could not read it'],
} as const;

export function FullCitizenId({
  masked,
  path,
  canReveal,
}: {
  readonly masked: string;
  /** The audited route that answers `{ citizenId }`. */
  readonly path: string;
  readonly canReveal: boolean;
}) {
  const [lang] = useLang();
  const i = lang === 'en' ? 1 : 0;
  const [full, setFull] = useState<string | undefined>();
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  if (full) return <span data-testid="full-citizen-id">{full}</span>;
  return (
    <Space size={4} wrap>
      <span>{masked}</span>
      {canReveal && (
        <Button
          size="small"
          type="link"
          loading={state === 'loading'}
          onClick={() => {
            setState('loading');
            apiGet<{ citizenId: string }>(path)
              .then((answer) => setFull(answer.citizenId))
              .catch(() => setState('failed'));
          }}
        >
          {TEXTS.reveal[i]}
        </Button>
      )}
      {state === 'failed' && <Typography.Text type="danger">{TEXTS.failed[i]}</Typography.Text>}
    </Space>
  );
}
