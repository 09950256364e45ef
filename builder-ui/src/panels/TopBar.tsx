import type { RunInfo, VersionSummary } from '../api.ts';
import { Icon } from '../canvas/icons.tsx';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { runStateLabel } from '../messages.ts';
import { useSession } from '../session.ts';
import { HeaderMenu } from './HeaderMenu.tsx';
import { Link } from '../router.tsx';
import { paths } from '../routes.ts';

export interface TopBarProps {
  readonly name: string;
  readonly readOnly: boolean;
  readonly viewOnly: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly problemCount: number;
  readonly savedAt: string | null;
  readonly versions: readonly VersionSummary[];
  readonly runs: readonly RunInfo[];
  readonly viewingVersion: number | null;
  onRename(name: string): void;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onFit(): void;
  onTemplates(): void;
  onToggleViewOnly(): void;
  onViewVersion(version: number | null): void;
  onOpenRun(runId: string): void;
  onInbox(): void;
  /** A published triggered journey: its report over a period. */
  onReport?: () => void;
  /** Absent until the journey is in the API. */
  onValidate?: () => void;
  /** Absent until the journey is in the API (the engine simulates it). */
  onSimulate?: () => void;
  onPublish(): void;
}

export const roleLabels = {
  admin: 'roleAdmin',
  marketer: 'roleMarketer',
  ops: 'roleOps',
  engineer: 'roleEngineer',
  viewer: 'roleViewer',
} as const satisfies Record<string, MessageKey>;

/**
 * Journey name, history, layout and view controls, language, save state and publishing. Fits at
 * 1280 px in both languages: tools are icons with titles, secondary actions sit in 更多.
 */
export function TopBar(props: TopBarProps) {
  const { t, lang, setLang } = useI18n();
  const session = useSession();
  const time = props.savedAt
    ? new Date(props.savedAt).toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
        hour: '2-digit',
        minute: '2-digit',
      })
    : null;
  const blocked = props.problemCount > 0;
  const tool = (
    testId: string,
    icon: string,
    label: string,
    onClick: () => void,
    disabled = false,
    shortcut?: string,
  ) => (
    <button
      type="button"
      className="btn btn-ghost btn-icon"
      onClick={onClick}
      disabled={disabled}
      title={shortcut ? `${label} (${shortcut})` : label}
      aria-label={label}
      data-testid={testId}
    >
      <Icon name={icon} />
    </button>
  );
  return (
    <header className="topbar" data-testid="topbar">
      <Link to={paths.home} className="brand" title={t('navHome')} aria-label={t('navHome')} data-testid="go-home">
        <span className="brand-mark">回</span>
      </Link>
      <input
        className="journey-name"
        aria-label={t('journeyName')}
        title={props.name}
        value={props.name}
        placeholder={t('untitledJourney')}
        disabled={props.readOnly}
        onChange={(e) => props.onRename(e.target.value)}
        data-testid="journey-name"
      />
      <div className="toolbar">
        {tool('undo', 'undo', t('undo'), props.onUndo, !props.canUndo || props.readOnly, 'Ctrl+Z')}
        {tool('redo', 'redo', t('redo'), props.onRedo, !props.canRedo || props.readOnly, 'Ctrl+Y')}
        {tool('auto-layout', 'layout', t('autoLayout'), props.onLayout, props.readOnly)}
        {tool('zoom-fit', 'fit', t('zoomToFit'), props.onFit)}
        <span className="sep" />
        <button
          type="button"
          className="btn btn-ghost"
          onClick={props.onTemplates}
          disabled={props.viewingVersion !== null}
          data-testid="open-templates"
        >
          {t('templates')}
        </button>
        <select
          className="input versions"
          aria-label={t('versions')}
          title={t('versions')}
          value={props.viewingVersion ?? ''}
          onChange={(e) => props.onViewVersion(e.target.value === '' ? null : Number(e.target.value))}
          data-testid="versions"
        >
          <option value="">{props.versions.length === 0 ? t('noVersions') : t('versionsShort')}</option>
          {props.versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} · {(v.planHash ?? '').slice(0, 8)}
            </option>
          ))}
        </select>
        <select
          className="input versions"
          aria-label={t('runs')}
          title={t('runs')}
          value=""
          onChange={(e) => e.target.value !== '' && props.onOpenRun(e.target.value)}
          data-testid="runs"
        >
          <option value="">
            {props.runs.length === 0 ? t('noRuns') : t('runsCount', { count: props.runs.length })}
          </option>
          {props.runs.map((r) => (
            <option key={r.id} value={r.id}>
              {new Date(r.createdAt).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
                month: '2-digit',
                day: '2-digit',
                hour: '2-digit',
                minute: '2-digit',
              })}{' '}
              · {runStateLabel(r.state, { t })}
            </option>
          ))}
        </select>
      </div>
      <div className="topbar-end">
        {time ? (
          <span className="saved" title={t('saved', { time })}>
            ✓ {time}
          </span>
        ) : null}
        {props.onReport && (
          <button
            type="button"
            className="btn"
            onClick={props.onReport}
            title={t('journeyReport')}
            data-testid="open-journey-report"
          >
            {t('reportShort')}
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost lang"
          onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
          data-testid="lang-toggle"
        >
          {t('languageToggle')}
        </button>
        <span className="role-badge" title={session.me.name} data-testid="role" data-role={session.me.role}>
          {t(roleLabels[session.me.role])}
        </span>
        <HeaderMenu
          items={[
            {
              testId: 'toggle-view-only',
              label: props.viewOnly ? t('editMode') : t('viewMode'),
              onClick: props.onToggleViewOnly,
              disabled: props.viewingVersion !== null,
            },
            { testId: 'open-inbox', label: t('inbox'), onClick: props.onInbox },
            { testId: 'sign-out', label: t('signOut'), onClick: session.signOut },
          ]}
        />
        {props.onSimulate && session.can('journeys.write') && (
          <button type="button" className="btn" onClick={props.onSimulate} data-testid="simulate">
            {t('simulate')}
          </button>
        )}
        {props.onValidate && (
          <button
            type="button"
            className="btn"
            onClick={props.onValidate}
            title={t('validateOnServer')}
            data-testid="validate"
          >
            {t('validateShort')}
          </button>
        )}
        {session.can('journeys.publish') && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={props.onPublish}
            disabled={blocked || props.readOnly}
            title={blocked ? t('publishBlocked', { count: props.problemCount }) : undefined}
            data-testid="publish"
          >
            {t('publish')}
          </button>
        )}
      </div>
    </header>
  );
}
