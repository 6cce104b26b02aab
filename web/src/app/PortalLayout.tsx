/** The resident portal's frame: a header with the services and the language switch, the page, a footer. */
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { LangSwitch } from './LangSwitch';
import { Loading } from './states';

export function PortalLayout() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <NavLink to="/" className="brand" end>
            <span aria-hidden="true" className="brand-mark">
              户
            </span>
            {t('app.name')}
          </NavLink>
          <nav aria-label={t('app.portal')} className="site-nav">
            <NavLink to="/self-check">{t('nav.selfCheck')}</NavLink>
            <NavLink to="/policies">{t('nav.policies')}</NavLink>
            <NavLink to="/applications">{t('nav.applications')}</NavLink>
            <NavLink to="/verify-help">{t('nav.verify')}</NavLink>
          </nav>
          <LangSwitch />
        </div>
      </header>
      <main id="main" className="site-main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}
