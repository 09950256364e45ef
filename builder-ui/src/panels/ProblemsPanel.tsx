import type { GraphError } from '@huitou/schemas';
import { usePersistentFlag } from '../canvas/usePersistentFlag.ts';
import { useI18n } from '../i18n.ts';

/** An empty graph fails the schema with zod's wording; say what to do instead. */
function isEmptyGraph(error: GraphError): boolean {
  return error.code === 'SCHEMA_INVALID' && error.path.length === 1 && error.path[0] === 'nodes';
}

/** Every validation error, live; clicking one selects its node. The list folds away (remembered). */
export function ProblemsPanel(props: {
  errors: readonly GraphError[];
  nodeTitle: (id: string) => string | null;
  onSelectNode: (id: string) => void;
  onOpenSettings: () => void;
}) {
  const { t, l } = useI18n();
  const { errors } = props;
  const [open, toggle] = usePersistentFlag('huitou.problems.open', true);
  return (
    <section
      className={`problems ${errors.length === 0 ? 'is-clean' : ''} ${open ? '' : 'is-folded'}`}
      data-testid="problems-panel"
      data-count={errors.length}
    >
      <div className="problems-head">
        <span className={`dot ${errors.length === 0 ? 'ok' : 'bad'}`} />
        <span className="problems-summary">
          {errors.length === 0 ? t('noProblems') : t('problemsCount', { count: errors.length })}
        </span>
        {errors.length > 0 && (
          <button
            type="button"
            className="btn btn-ghost btn-small problems-toggle"
            onClick={toggle}
            aria-expanded={open}
            data-testid="problems-toggle"
          >
            {open ? `▾ ${t('problemsHide')}` : `▴ ${t('problemsShow')}`}
          </button>
        )}
      </div>
      {errors.length > 0 && open && (
        <ul className="problems-list">
          {errors.map((error, i) => {
            const title = error.nodeId === undefined ? null : props.nodeTitle(error.nodeId);
            const settingsError = error.path[0] === 'settings' || error.code === 'SMS_SIGNATURE_MISSING';
            return (
              <li key={`${error.code}-${error.nodeId ?? ''}-${i}`}>
                <button
                  type="button"
                  className="problem"
                  data-testid="problem"
                  data-node-id={error.nodeId ?? ''}
                  data-code={error.code}
                  onClick={() =>
                    error.nodeId !== undefined
                      ? props.onSelectNode(error.nodeId)
                      : settingsError
                        ? props.onOpenSettings()
                        : undefined
                  }
                >
                  <span className="problem-where">{title ?? t('journeyLevel')}</span>
                  <span className="problem-msg">{isEmptyGraph(error) ? t('needsNodes') : l(error.message)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
