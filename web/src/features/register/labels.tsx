/** Labels for register codes (national code tables) and county names: people see words, never codes. */
import { useQuery } from '@tanstack/react-query';
import { codeLabel, type CodeTableId } from '../../../../src/standards/code-tables';
import { fetchDivision, policyKeys } from '../../api/policies';
import { useLang } from '../../app/lang';

export function useCodeLabel(): (table: CodeTableId, code: string | undefined) => string {
  const [lang] = useLang();
  return (table, code) => (code ? codeLabel(table, code, lang) : '');
}

/** The name of a division (county, city) by its code, fetched once and kept. */
export function useDivisionName(code: string | undefined): string {
  const q = useQuery({
    queryKey: policyKeys.division(code ?? ''),
    queryFn: ({ signal }) => fetchDivision(code ?? '', signal),
    enabled: code !== undefined && /^\d{6}$/.test(code),
    staleTime: Infinity,
  });
  return q.data?.name ?? '';
}

export function DivisionName({ code }: { readonly code: string | undefined }) {
  const name = useDivisionName(code);
  return <>{name || '…'}</>;
}
