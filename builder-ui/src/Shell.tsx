import type { ReactNode } from 'react';
import './shell.css';
import type { Permission } from './api.ts';
import type { MessageKey } from './i18n.ts';
import { useI18n } from './i18n.ts';
import { roleLabels } from './panels/TopBar.tsx';
import { Link } from './router.tsx';
import { paths } from './routes.ts';
import type { Screen } from './routes.ts';
import { useSession } from './session.ts';

interface NavItem {
  readonly screen: Screen;
  readonly to: string;
  readonly label: MessageKey;
  /** Shown only to keys with this permission (the server refuses the page's calls otherwise). */
  readonly needs?: Permission;
}

const NAV: readonly { readonly group: MessageKey; readonly items: readonly NavItem[] }[] = [
  {
    group: 'navGroupWork',
    items: [
      { screen: 'home', to: paths.home, label: 'navHome' },
      { screen: 'runs', to: paths.runs, label: 'navRuns' },
      { screen: 'inbox', to: paths.inbox, label: 'navInbox' },
      { screen: 'schedules', to: paths.schedules, label: 'navSchedules' },
    ],
  },
  {
    group: 'navGroupInsight',
    items: [
      { screen: 'overview', to: paths.overview, label: 'navOverview' },
      { screen: 'segments', to: paths.segments, label: 'navSegments' },
      { screen: 'customers', to: paths.customers, label: 'navCustomers', needs: 'customers.read' },
    ],
  },
  {
    group: 'navGroupData',
    items: [
      { screen: 'imports', to: paths.imports, label: 'navImports', needs: 'data.import' },
      { screen: 'optOuts', to: paths.optOuts, label: 'navOptOuts' },
    ],
  },
  {
    group: 'navGroupAdmin',
    items: [
      { screen: 'keys', to: paths.keys, label: 'navKeys', needs: 'keys.manage' },
      { screen: 'audit', to: paths.audit, label: 'navAudit', needs: 'audit.read' },
      { screen: 'settings', to: paths.settings, label: 'navSettings' },
    ],
  },
];

/** Which navigation item a screen belongs to (a segment's page lights up 人群, and so on). */
const SECTION: Partial<Record<Screen, Screen>> = { segment: 'segments', customer: 'customers' };

/** Every signed-in page but the journey editor: the side navigation, the user, and the page. */
export function Shell({ screen, children }: { readonly screen: Screen; readonly children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const active = SECTION[screen] ?? screen;
  return (
    <div className="shell">
      <nav className="shell-nav" aria-label={t('navMain')}>
        <Link to={paths.home} className="shell-brand">
          {t('appName')}
        </Link>
        {NAV.map(({ group, items }) => {
          const shown = items.filter((item) => !item.needs || session.can(item.needs));
          if (shown.length === 0) return null;
          return (
            <div key={group} className="shell-group">
              <div className="shell-group-name">{t(group)}</div>
              {shown.map((item) => (
                <Link
                  key={item.screen}
                  to={item.to}
                  className={`shell-link ${active === item.screen ? 'is-active' : ''}`}
                  aria-current={active === item.screen ? 'page' : undefined}
                  data-testid={`nav-${item.screen}`}
                >
                  {t(item.label)}
                </Link>
              ))}
            </div>
          );
        })}
        <div className="shell-foot">
          <div className="shell-user" title={session.me.name}>
            <span data-testid="role" data-role={session.me.role}>
              {t(roleLabels[session.me.role])}
            </span>{' '}
            · {session.me.name}
          </div>
          <button type="button" className="btn btn-ghost" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t('languageToggle')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={session.signOut} data-testid="shell-sign-out">
            {t('signOut')}
          </button>
        </div>
      </nav>
      <main className="shell-main">{children}</main>
    </div>
  );
}

/** An address that names no screen. */
export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="page-empty">
      <h1>{t('notFoundTitle')}</h1>
      <p>{t('notFoundBody')}</p>
      <Link to={paths.home}>{t('backHome')}</Link>
    </div>
  );
}
