import type { DragEvent } from 'react';
import type { NodeTypeId } from '@huitou/schemas';
import { palette } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { Icon } from './icons.tsx';

export const DRAG_MIME = 'application/x-huitou-node';
const groups = palette().filter((g) => g.types.length > 0);

/** The node palette, generated from the registry: drag an item onto the canvas, or click to add it. */
export function Palette({ disabled, onAdd }: { disabled: boolean; onAdd: (type: NodeTypeId) => void }) {
  const { t, l } = useI18n();
  const onDragStart = (event: DragEvent, type: NodeTypeId) => {
    event.dataTransfer.setData(DRAG_MIME, type);
    event.dataTransfer.effectAllowed = 'move';
  };
  return (
    <aside className={`palette ${disabled ? 'is-disabled' : ''}`} aria-label={t('palette')}>
      <div className="panel-title">{t('palette')}</div>
      <div className="palette-hint">{t('paletteHint')}</div>
      {groups.map((group) => (
        <section key={group.category} className="palette-group">
          <div className="palette-group-title">{l(group.label)}</div>
          {group.types.map((entry) => (
            <button
              key={entry.type}
              type="button"
              className={`palette-item cat-${group.category}`}
              draggable={!disabled}
              disabled={disabled}
              onDragStart={(e) => onDragStart(e, entry.type)}
              onClick={() => onAdd(entry.type)}
              title={l(entry.description)}
              data-testid={`palette-${entry.type}`}
            >
              <span className="palette-icon">
                <Icon name={entry.icon} />
              </span>
              <span className="palette-label">{l(entry.label)}</span>
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
