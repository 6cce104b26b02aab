/**
 * The officer console's frame: sign-in first (password, then the authenticator code, then a new
 * password at the first sign-in), then the pages the officer's roles allow, with who is signed in and
 * the sign-out; the menu lists only those pages, and /console itself opens the officer's start page
 * (start-page.ts). Everything under /console is one chunk the portal never loads.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button } from 'antd';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { signOut } from '../../api/auth';
import { ApiError } from '../../api/client';
import { LangSwitch } from '../../app/LangSwitch';
import { useLocalText } from '../../app/lang';
import { ErrorState, Loading } from '../../app/states';
import { appKeys, fetchRoleNotifications } from '../applications/api';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useOfficer, useSessionQuery } from './session';
import { startPageOf } from './start-page';
import { useT as useAccountTexts } from './texts';

export function ConsoleLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const isSignIn = location.pathname.replace(/\/$/, '') === '/console/sign-in';
  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header console-header">
        <div className="site-header-inner">
          <NavLink to="/console" className="brand" end>
            <span aria-hidden="true" className="brand-mark">
              户
            </span>
            {t('app.console')}
          </NavLink>
          {isSignIn ? null : <ConsoleNav />}
          <LangSwitch />
        </div>
      </header>
      <main id="main" className="site-main console-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{isSignIn ? <Outlet /> : <SignedIn />}</Suspense>
      </main>
    </div>
  );
}

function SignedIn() {
  const session = useSessionQuery();
  const location = useLocation();
  if (session.isError) {
    if (session.error instanceof ApiError && session.error.status === 401) {
      const next = encodeURIComponent(location.pathname + location.search);
      return <Navigate to={`/console/sign-in?next=${next}`} replace />;
    }
    return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  }
  if (session.isPending) return <Loading />;
  if (session.data.passwordChangeRequired) return <ChangePasswordForm />;
  return <Outlet context={session.data} />;
}

/** /console: the officer's start page, by role (never a page their roles do not allow). */
export function ConsoleStart() {
  const s = useOfficer();
  return <Navigate to={startPageOf(s.officer.roles, s.permissions)} replace />;
}

function ConsoleNav() {
  const { t } = useTranslation();
  const text = useLocalText();
  const session = useSessionQuery();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accountTexts = useAccountTexts();
  const s = session.data;
  if (!s) return null;
  const can = (action: string) => s.permissions.includes(action);
  return (
    <>
      <nav aria-label={t('app.console')} className="site-nav">
        {can('application.read') ? <NavLink to="/console/applications">{t('nav.queue')}</NavLink> : null}
        {can('stats.dashboard') ? (
          <NavLink to="/console/dashboard">{text({ zh: '统计看板', en: 'Dashboard' })}</NavLink>
        ) : null}
        {can('register.read') ? <NavLink to="/console/persons">{t('nav.persons')}</NavLink> : null}
        {can('register.duplicates') ? (
          <NavLink to="/console/duplicates">{t('nav.duplicates')}</NavLink>
        ) : null}
        {can('audit.read') ? (
          <NavLink to="/console/audit">{text({ zh: '审计记录', en: 'Audit trail' })}</NavLink>
        ) : null}
        {can('account.read') ? (
          <NavLink to="/console/accounts">{accountTexts('accountsTitle')}</NavLink>
        ) : null}
        <NavLink to="/console/policies/diff">{t('nav.diff')}</NavLink>
        <NavLink to="/console/policies/simulate">{t('nav.simulate')}</NavLink>
      </nav>
      {can('application.read') ? <TodoBadge /> : null}
      <span className="officer" data-testid="officer">
        {s.officer.displayName} · {s.officer.roleLabels.map((r) => text(r)).join('、')}
      </span>
      <Button
        size="small"
        onClick={() => {
          void signOut()
            .catch(() => undefined)
            .then(() => {
              queryClient.removeQueries();
              void navigate('/console/sign-in');
            });
        }}
      >
        {t('nav.signOut')}
      </Button>
    </>
  );
}

const VISUALLY_HIDDEN = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/**
 * The officer's unread to-dos in the header: read state is each officer's own, so this is this officer's
 * count; a to-do whose work is done leaves it for everyone. Refreshed every minute.
 */
function TodoBadge() {
  const text = useLocalText();
  const todos = useQuery({
    queryKey: appKeys.roleNotifications,
    queryFn: ({ signal }) => fetchRoleNotifications(signal),
    refetchInterval: 60_000,
  });
  const unread = todos.data?.unread ?? 0;
  const label = text({ zh: `待办消息 ${unread} 条未读`, en: `${unread} unread to-dos` });
  return (
    // The name is the link's own text (axe: a label must hold the visible words), the count also said in words.
    <Link to="/console/applications#todos" title={label} data-testid="todo-badge">
      <Badge count={unread} size="small" overflowCount={99}>
        <span className="todo-bell" style={{ color: '#fff' }}>
          {text({ zh: '消息', en: 'To-dos' })}
        </span>
      </Badge>
      <span style={VISUALLY_HIDDEN}>{text({ zh: `，${unread} 条未读`, en: `, ${unread} unread` })}</span>
    </Link>
  );
}
