/**
 * A code of a national code table (GB 3304 ethnicity, GB/T 4658 education, GB/T 2261.2 marital status,
 * GB/T 4761 relationship …) chosen by its name, searchable by name, former name or code. Never defaulted:
 * the value stays empty until the person chooses. `allowUnknown` adds an explicit 不详 (value null).
 */
import { Checkbox, Select } from 'antd';
import { useMemo } from 'react';
import { CODE_TABLES, type CodeTableId } from '../../../src/standards/code-tables';
import { useLang } from '../app/lang';

export function CodePicker({
  id,
  table,
  value,
  onChange,
  allowUnknown = false,
  allowClear = false,
  'aria-label': ariaLabel,
}: {
  readonly id?: string;
  readonly table: CodeTableId;
  readonly value?: string | null;
  readonly onChange?: (value: string | null | undefined) => void;
  readonly allowUnknown?: boolean;
  readonly allowClear?: boolean;
  readonly 'aria-label'?: string;
}) {
  const [lang] = useLang();
  const options = useMemo(
    () =>
      CODE_TABLES[table].entries.map((e) => ({
        value: e.code,
        label: lang === 'en' ? e.en : e.zh,
        // Searchable by either language, the former names and the code itself.
        search: [e.code, e.zh, e.en, ...(e.formerNames ?? [])].join(' ').toLowerCase(),
      })),
    [table, lang],
  );
  const isUnknown = value === null;
  return (
    <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
      <Select
        id={id}
        aria-label={ariaLabel}
        style={{ minWidth: 200, flex: '1 1 200px', maxWidth: 320 }}
        showSearch={{
          filterOption: (input, option) => (option?.search ?? '').includes(input.trim().toLowerCase()),
        }}
        allowClear={allowClear}
        disabled={isUnknown}
        value={typeof value === 'string' ? value : undefined}
        placeholder={lang === 'en' ? 'Choose or type to search' : '请选择，可输入搜索'}
        options={options}
        onChange={(v: string | undefined) => onChange?.(v ?? undefined)}
      />
      {allowUnknown ? (
        <Checkbox checked={isUnknown} onChange={(e) => onChange?.(e.target.checked ? null : undefined)}>
          {lang === 'en' ? 'Not known' : '不详'}
        </Checkbox>
      ) : null}
    </div>
  );
}
