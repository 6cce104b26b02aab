/** The signed-in officer, shared by the console's pages (the layout fetches it, pages read it). */
import { useQuery } from '@tanstack/react-query';
import { useOutletContext } from 'react-router';
import { authKeys, fetchSession, type OfficerSession } from '../../api/auth';

export function useSessionQuery() {
  return useQuery({
    queryKey: authKeys.me,
    queryFn: ({ signal }) => fetchSession(signal),
    retry: false,
    staleTime: 60_000,
  });
}

/** The officer, inside the console's signed-in pages. */
export function useOfficer(): OfficerSession {
  return useOutletContext<OfficerSession>();
}
