import { useI18n } from '../i18n.ts';

/** Asks before an action that reaches customers or cannot be undone. */
export function ConfirmDialog(props: {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="modal-backdrop" onClick={props.onCancel}>
      <div
        className="modal modal-small"
        role="alertdialog"
        aria-label={props.title}
        onClick={(e) => e.stopPropagation()}
        data-testid="confirm-dialog"
      >
        <div className="modal-head">
          <h2>{props.title}</h2>
        </div>
        <p>{props.body}</p>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onCancel} data-testid="confirm-cancel">
            {t('cancel')}
          </button>
          <button
            type="button"
            className={`btn ${props.danger ? 'btn-danger' : 'btn-primary'}`}
            onClick={props.onConfirm}
            data-testid="confirm-yes"
          >
            {props.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
