/**
 * A county-level division (GB/T 2260) chosen as people know it: by name (search, former names too) or
 * step by step (province → prefecture → county), never by typing a six-digit code. `allowUnknown` adds
 * an explicit 不详 that sets the value to null, so "not known" is a declaration and not a blank.
 * Controlled (`value` / `onChange`), so it sits inside an antd Form.Item.
 */
import { useQuery } from '@tanstack/react-query';
import { Cascader, Checkbox, Select } from 'antd';
import { useMemo, useState } from 'react';
import { apiGet } from '../api/client';
import { useLang } from '../app/lang';

interface DivisionOut {
  readonly code: string;
  readonly name: string;
  readonly level: string;
  readonly path: readonly { readonly code: string; readonly name: string }[];
  readonly isCurrent: boolean;
}
interface Hit {
  readonly matchedName: string;
  readonly isFormerName: boolean;
  readonly division: DivisionOut;
}
interface Node {
  value: string;
  label: string;
  isLeaf: boolean;
  children?: Node[];
}

const TEXTS = {
  search: ['输入名称搜索，如“榆中”', 'Type a name, e.g. Yuzhong'],
  browse: ['或逐级选择：省 → 市 → 县', 'or choose: province → city → county'],
  unknown: ['不详', 'Not known'],
  former: ['曾用名', 'former name'],
  none: ['没有找到', 'Nothing found'],
} as const;

/** The names from the province down, as one line (甘肃省 兰州市 榆中县). */
export function divisionPathName(d: DivisionOut): string {
  const names = [...d.path.map((p) => p.name), d.name];
  return [...new Set(names)].join(' ');
}

const fetchDivisionOut = (code: string, signal?: AbortSignal) =>
  apiGet<DivisionOut & { children: DivisionOut[] }>(`/api/v1/divisions/${code}`, signal);

export function DivisionPicker({
  id,
  value,
  onChange,
  allowUnknown = false,
  'aria-label': ariaLabel,
}: {
  readonly id?: string;
  readonly value?: string | null;
  readonly onChange?: (value: string | null | undefined) => void;
  readonly allowUnknown?: boolean;
  readonly 'aria-label'?: string;
}) {
  const [lang] = useLang();
  const say = (k: keyof typeof TEXTS) => TEXTS[k][lang === 'en' ? 1 : 0];
  const [q, setQ] = useState('');
  const current = useQuery({
    queryKey: ['divisions', value],
    queryFn: ({ signal }) => fetchDivisionOut(value ?? '', signal),
    enabled: typeof value === 'string' && /^\d{6}$/.test(value),
    staleTime: Infinity,
  });
  const hits = useQuery({
    queryKey: ['divisions', 'search', q],
    queryFn: ({ signal }) =>
      apiGet<{ items: Hit[] }>(`/api/v1/divisions?q=${encodeURIComponent(q)}&limit=30`, signal),
    enabled: q.trim().length > 0,
    staleTime: Infinity,
  });
  const provinces = useQuery({
    queryKey: ['divisions', 'provinces'],
    queryFn: ({ signal }) => apiGet<{ items: DivisionOut[] }>('/api/v1/divisions/provinces', signal),
    staleTime: Infinity,
  });
  const [tree, setTree] = useState<Node[] | undefined>();
  const roots = useMemo<Node[]>(
    () => tree ?? (provinces.data?.items ?? []).map((p) => ({ value: p.code, label: p.name, isLeaf: false })),
    [tree, provinces.data],
  );

  const options = (() => {
    const out = (hits.data?.items ?? [])
      .filter((h) => h.division.level === 'county')
      .map((h) => ({
        value: h.division.code,
        label: `${divisionPathName(h.division)}${h.isFormerName ? `（${say('former')}：${h.matchedName}）` : ''}`,
      }));
    if (current.data && !out.some((o) => o.value === current.data.code))
      out.unshift({ value: current.data.code, label: divisionPathName(current.data) });
    return out;
  })();

  const isUnknown = value === null;
  return (
    <div className="division-picker" style={{ display: 'grid', gap: 8, maxWidth: 480 }}>
      <Select
        id={id}
        aria-label={ariaLabel}
        showSearch={{ filterOption: false, onSearch: setQ, searchValue: q }}
        value={typeof value === 'string' && value !== '' ? value : undefined}
        placeholder={say('search')}
        options={options}
        disabled={isUnknown}
        loading={hits.isFetching}
        notFoundContent={q ? say('none') : null}
        onChange={(v: string) => {
          setQ('');
          onChange?.(v);
        }}
        data-testid="division-search"
      />
      <Cascader
        aria-label={`${ariaLabel ?? ''} ${say('browse')}`.trim()}
        options={roots}
        value={[]}
        disabled={isUnknown}
        placeholder={say('browse')}
        changeOnSelect={false}
        loadData={(selected) => {
          const node = selected[selected.length - 1];
          if (!node) return;
          void fetchDivisionOut(node.value).then((d) => {
            node.children = d.children
              .filter((c) => c.level === 'prefecture' || c.level === 'county')
              .map((c) => ({ value: c.code, label: c.name, isLeaf: c.level === 'county' }));
            setTree([...roots]);
          });
        }}
        onChange={(codes) => {
          const last = (codes as string[] | undefined)?.at(-1);
          if (last) onChange?.(last);
        }}
        data-testid="division-browse"
      />
      {allowUnknown ? (
        <Checkbox
          checked={isUnknown}
          onChange={(e) => onChange?.(e.target.checked ? null : undefined)}
          data-testid="division-unknown"
        >
          {say('unknown')}
        </Checkbox>
      ) : null}
    </div>
  );
}

/** A division's names from the province down (甘肃省 兰州市 榆中县), loaded by its code. */
export function DivisionLabel({ code }: { readonly code: string | undefined }) {
  const q = useQuery({
    queryKey: ['divisions', code],
    queryFn: ({ signal }) => fetchDivisionOut(code ?? '', signal),
    enabled: code !== undefined && /^\d{6}$/.test(code),
    staleTime: Infinity,
  });
  return <>{q.data ? divisionPathName(q.data) : (code ?? '')}</>;
}
