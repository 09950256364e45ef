import type { RunInfo, VersionSummary } from '../api.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { runStateLabel } from '../messages.ts';
import { useSession } from '../session.ts';

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

/** Journey name, history, layout and view controls, language, save state and publishing. */
export const roleLabels = {
  admin: 'roleAdmin',
  marketer: 'roleMarketer',
  ops: 'roleOps',
  engineer: 'roleEngineer',
  viewer: 'roleViewer',
} as const satisfies Record<string, MessageKey>;

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
  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark">回</span>
        <span className="brand-name">{t('appName')}</span>
      </div>
      <input
        className="journey-name"
        aria-label={t('journeyName')}
        value={props.name}
        placeholder={t('untitledJourney')}
        disabled={props.readOnly}
        onChange={(e) => props.onRename(e.target.value)}
        data-testid="journey-name"
      />
      <div className="toolbar">
        <button
          type="button"
          className="btn btn-ghost"
          onClick={props.onUndo}
          disabled={!props.canUndo || props.readOnly}
          title="Ctrl+Z"
          data-testid="undo"
        >
          ↶ {t('undo')}
        </button>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={props.onRedo}
          disabled={!props.canRedo || props.readOnly}
          title="Ctrl+Y"
          data-testid="redo"
        >
          ↷ {t('redo')}
        </button>
        <span className="sep" />
        <button
          type="button"
          className="btn btn-ghost"
          onClick={props.onLayout}
          disabled={props.readOnly}
          data-testid="auto-layout"
        >
          {t('autoLayout')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={props.onFit} data-testid="zoom-fit">
          {t('zoomToFit')}
        </button>
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
        <button
          type="button"
          className={`btn btn-ghost ${props.viewOnly ? 'is-on' : ''}`}
          onClick={props.onToggleViewOnly}
          disabled={props.viewingVersion !== null}
          data-testid="toggle-view-only"
        >
          {props.viewOnly ? t('editMode') : t('viewMode')}
        </button>
        <select
          className="input versions"
          aria-label={t('versions')}
          value={props.viewingVersion ?? ''}
          onChange={(e) => props.onViewVersion(e.target.value === '' ? null : Number(e.target.value))}
          data-testid="versions"
        >
          <option value="">{props.versions.length === 0 ? t('noVersions') : t('versions')}</option>
          {props.versions.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} · {(v.planHash ?? '').slice(0, 8)}
            </option>
          ))}
        </select>
        <select
          className="input versions"
          aria-label={t('runs')}
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
        {time ? <span className="saved">{t('saved', { time })}</span> : null}
        {props.onReport && (
          <button type="button" className="btn" onClick={props.onReport} data-testid="open-journey-report">
            {t('journeyReport')}
          </button>
        )}
        <button type="button" className="btn btn-ghost" onClick={props.onInbox} data-testid="open-inbox">
          {t('inbox')}
        </button>
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
        <button type="button" className="btn btn-ghost" onClick={session.signOut} data-testid="sign-out">
          {t('signOut')}
        </button>
        {props.onSimulate && session.can('journeys.write') && (
          <button type="button" className="btn" onClick={props.onSimulate} data-testid="simulate">
            {t('simulate')}
          </button>
        )}
        {props.onValidate && (
          <button type="button" className="btn" onClick={props.onValidate} data-testid="validate">
            {t('validateOnServer')}
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
