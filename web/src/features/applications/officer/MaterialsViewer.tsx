/**
 * The materials beside a large viewer: the list on the left (checklist label, file, size, upload time in
 * China time), the chosen file on the right — an image in antd's Image with its preview (zoom, rotate),
 * a PDF in Chromium's own viewer (page by page, with its zoom), each also openable in a new window.
 */
import { Image, List, Typography } from 'antd';
import { useState } from 'react';
import type { Material } from '../api';
import { formatChinaDateTime } from '../../../app/time';
import { useOfficerT } from './texts';

export function MaterialsViewer({
  applicationId,
  materials,
  labelOf,
}: {
  readonly applicationId: string;
  readonly materials: readonly Material[];
  readonly labelOf: (key: string) => string;
}) {
  const t = useOfficerT();
  const [viewing, setViewing] = useState<Material | undefined>(materials[0]);
  if (materials.length === 0) return <Typography.Text>{t('noMaterials')}</Typography.Text>;
  const src = (m: Material) => `/api/v1/applications/${applicationId}/materials/${m.id}`;
  return (
    <div className="officer-materials" style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
      <List
        style={{ width: 300, flex: 'none' }}
        size="small"
        bordered
        data-testid="materials"
        dataSource={[...materials]}
        renderItem={(m) => (
          <List.Item style={{ background: viewing?.id === m.id ? '#e6f4ff' : undefined, display: 'block' }}>
            <button
              type="button"
              className="link-button"
              onClick={() => setViewing(m)}
              aria-pressed={viewing?.id === m.id}
              style={{
                all: 'unset',
                cursor: 'pointer',
                color: '#0958d9',
                display: 'block',
                fontWeight: viewing?.id === m.id ? 600 : 400,
              }}
            >
              {labelOf(m.materialKey)}
            </button>
            <div className="muted" style={{ fontSize: 12 }}>
              {m.fileName} · {Math.max(1, Math.round(m.byteSize / 1024))} KB ·{' '}
              {t('uploadedAt', { time: formatChinaDateTime(m.uploadedAt) })}
            </div>
          </List.Item>
        )}
      />
      {viewing ? (
        <figure style={{ margin: 0, flex: 1, minWidth: 0 }} data-testid="viewer">
          <figcaption className="muted" style={{ marginBottom: 6 }}>
            {labelOf(viewing.materialKey)} · {viewing.fileName} ·{' '}
            <a href={src(viewing)} target="_blank" rel="noreferrer" style={{ textDecoration: 'underline' }}>
              {t('openNewTab')}
            </a>{' '}
            · {viewing.mediaType.startsWith('image/') ? t('zoomHint') : t('pdfHint')}
          </figcaption>
          {viewing.mediaType.startsWith('image/') ? (
            <div
              style={{
                border: '1px solid #d9d9d9',
                background: '#fafafa',
                height: 640,
                display: 'flex',
                alignItems: 'center',
                justifyContent: 'center',
              }}
            >
              <Image
                key={viewing.id}
                src={src(viewing)}
                alt={viewing.fileName}
                // A small scan is enlarged to the pane; the preview zooms further.
                width="100%"
                height={620}
                style={{ objectFit: 'contain' }}
                data-testid="viewer-image"
              />
            </div>
          ) : (
            <iframe
              key={viewing.id}
              src={`${src(viewing)}#view=FitH`}
              title={viewing.fileName}
              data-testid="viewer-pdf"
              style={{ width: '100%', height: 720, border: '1px solid #d9d9d9' }}
            />
          )}
        </figure>
      ) : null}
    </div>
  );
}
