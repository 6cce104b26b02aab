/**
 * A division chosen as people know it: by name (search, former names too) or step by step, never by
 * typing a code. Two depths:
 * - `level="county"` (default): a county-level division (GB/T 2260, six digits), province → city →
 *   county, e.g. a birthplace.
 * - `level="town"`: an address's town or sub-district (乡镇、街道, NBS nine digits), province → city →
 *   county → town, searched by the town's name (“府山” finds 府山街道 of 柯城区). Where Huji ships no
 *   towns for a county (outside Quzhou and Lanzhou) browsing ends at the county, whose six digits are the
 *   value. `within` (a county code) offers that county's towns only.
 * `allowUnknown` adds an explicit 不详 that sets the value to null, so "not known" is a declaration and
 * not a blank. Controlled (`value` / `onChange`), so it sits inside an antd Form.Item.
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
  searchTown: ['输入乡镇、街道名称搜索，如“府山”', 'Type a town or sub-district, e.g. Fushan'],
  chooseTown: ['选择乡镇、街道（可输入名称筛选）', 'Choose the town or sub-district (type to filter)'],
  browse: ['或逐级选择：省 → 市 → 县', 'or choose: province → city → county'],
  browseTown: ['或逐级选择：省 → 市 → 县 → 乡镇（街道）', 'or choose: province → city → county → town'],
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

export interface TownsOut {
  readonly county: DivisionOut;
  readonly hasTowns: boolean;
  readonly items: readonly DivisionOut[];
}

/** The towns (乡镇、街道) of a county; `hasTowns` is false where Huji ships none. */
export const fetchTowns = (countyCode: string, signal?: AbortSignal) =>
  apiGet<TownsOut>(`/api/v1/divisions/${countyCode}/towns`, signal);

/** A county (6 digits) or a town (9 digits): the codes a picker gives and a label shows. */
const isPickedCode = (code: unknown): code is string =>
  typeof code === 'string' && /^\d{6}(\d{3})?$/.test(code);

/** A town's option: its name first, then where it is (府山街道（浙江省 衢州市 柯城区）). */
function townLabel(d: DivisionOut): string {
  return `${d.name}（${[...new Set(d.path.map((p) => p.name))].join(' ')}）`;
}

export function DivisionPicker({
  id,
  value,
  onChange,
  allowUnknown = false,
  level = 'county',
  within,
  'aria-label': ariaLabel,
}: {
  readonly id?: string;
  readonly value?: string | null;
  readonly onChange?: (value: string | null | undefined) => void;
  readonly allowUnknown?: boolean;
  readonly level?: 'county' | 'town';
  /** Town level: only the towns of this county (six digits), chosen from a list. */
  readonly within?: string;
  readonly 'aria-label'?: string;
}) {
  if (level === 'town' && within !== undefined)
    return (
      <TownOfCountySelect id={id} county={within} value={value} onChange={onChange} aria-label={ariaLabel} />
    );
  return (
    <DivisionSearchAndBrowse
      id={id}
      value={value}
      onChange={onChange}
      allowUnknown={allowUnknown}
      level={level}
      aria-label={ariaLabel}
    />
  );
}

/** The towns of one county in a select, filtered by the typed name. */
function TownOfCountySelect({
  id,
  county,
  value,
  onChange,
  'aria-label': ariaLabel,
}: {
  readonly id?: string | undefined;
  readonly county: string;
  readonly value?: string | null | undefined;
  readonly onChange?: ((value: string | null | undefined) => void) | undefined;
  readonly 'aria-label'?: string | undefined;
}) {
  const [lang] = useLang();
  const say = (k: keyof typeof TEXTS) => TEXTS[k][lang === 'en' ? 1 : 0];
  const towns = useQuery({
    queryKey: ['divisions', county, 'towns'],
    queryFn: ({ signal }) => fetchTowns(county, signal),
    enabled: /^\d{6}$/.test(county),
    staleTime: Infinity,
  });
  const options = (towns.data?.items ?? []).map((t) => ({ value: t.code, label: t.name }));
  return (
    <div className="town-picker" style={{ maxWidth: 480 }}>
      <Select
        id={id}
        aria-label={ariaLabel}
        showSearch={{ optionFilterProp: 'label' }}
        value={typeof value === 'string' && value.startsWith(county) ? value : undefined}
        placeholder={say('chooseTown')}
        options={options}
        loading={towns.isFetching}
        notFoundContent={towns.isFetching ? null : say('none')}
        onChange={(v: string) => onChange?.(v)}
      />
    </div>
  );
}

function DivisionSearchAndBrowse({
  id,
  value,
  onChange,
  allowUnknown,
  level,
  'aria-label': ariaLabel,
}: {
  readonly id?: string | undefined;
  readonly value?: string | null | undefined;
  readonly onChange?: ((value: string | null | undefined) => void) | undefined;
  readonly allowUnknown: boolean;
  readonly level: 'county' | 'town';
  readonly 'aria-label'?: string | undefined;
}) {
  const [lang] = useLang();
  const say = (k: keyof typeof TEXTS) => TEXTS[k][lang === 'en' ? 1 : 0];
  const [q, setQ] = useState('');
  const toTown = level === 'town';
  const current = useQuery({
    queryKey: ['divisions', value],
    queryFn: ({ signal }) => fetchDivisionOut(value ?? '', signal),
    enabled: isPickedCode(value),
    staleTime: Infinity,
  });
  const hits = useQuery({
    queryKey: ['divisions', 'search', level, q],
    queryFn: ({ signal }) =>
      apiGet<{ items: Hit[] }>(
        `/api/v1/divisions?q=${encodeURIComponent(q)}&limit=30&level=${toTown ? 'town' : 'county'}`,
        signal,
      ),
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
      .filter((h) => h.division.level === level)
      .map((h) => ({
        value: h.division.code,
        label: toTown
          ? townLabel(h.division)
          : `${divisionPathName(h.division)}${h.isFormerName ? `（${say('former')}：${h.matchedName}）` : ''}`,
      }));
    // The chosen division's own option, so the select shows its name; not among a search's hits.
    if (current.data && !q.trim() && !out.some((o) => o.value === current.data.code))
      out.unshift({
        value: current.data.code,
        label: current.data.level === 'town' ? townLabel(current.data) : divisionPathName(current.data),
      });
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
        placeholder={say(toTown ? 'searchTown' : 'search')}
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
        aria-label={`${ariaLabel ?? ''} ${say(toTown ? 'browseTown' : 'browse')}`.trim()}
        options={roots}
        value={[]}
        disabled={isUnknown}
        placeholder={say(toTown ? 'browseTown' : 'browse')}
        changeOnSelect={false}
        loadData={(selected) => {
          const node = selected[selected.length - 1];
          if (!node) return;
          void fetchDivisionOut(node.value).then((d) => {
            const children = d.children
              .filter(
                (c) => c.level === 'prefecture' || c.level === 'county' || (toTown && c.level === 'town'),
              )
              .map((c) => ({
                value: c.code,
                label: c.name,
                isLeaf: c.level === (toTown ? 'town' : 'county'),
              }));
            if (children.length === 0 && d.level === 'county') {
              // No towns shipped for this county: the county is as deep as the address goes.
              node.isLeaf = true;
              setTree([...roots]);
              onChange?.(d.code);
              return;
            }
            node.children = children;
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

/** A division's names from the province down (甘肃省 兰州市 榆中县; a town too), loaded by its code. */
export function DivisionLabel({ code }: { readonly code: string | undefined }) {
  const q = useQuery({
    queryKey: ['divisions', code],
    queryFn: ({ signal }) => fetchDivisionOut(code ?? '', signal),
    enabled: isPickedCode(code),
    staleTime: Infinity,
  });
  return <>{q.data ? divisionPathName(q.data) : (code ?? '')}</>;
}
