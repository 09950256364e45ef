import { useEffect, useRef, useState } from 'react';
import { Icon } from '../canvas/icons.tsx';
import { useI18n } from '../i18n.ts';

export interface HeaderMenuItem {
  readonly testId: string;
  readonly label: string;
  readonly onClick: () => void;
  readonly disabled?: boolean;
}

/** The header's 更多 menu: secondary actions, so the header fits at 1280 px in both languages. */
export function HeaderMenu({ items }: { items: readonly HeaderMenuItem[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="header-menu" ref={root}>
      <button
        type="button"
        className={`btn btn-ghost ${open ? 'is-on' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="header-more"
      >
        <Icon name="more" /> {t('more')}
      </button>
      {open && (
        <div className="header-menu-list" role="menu">
          {items.map((item) => (
            <button
              key={item.testId}
              type="button"
              role="menuitem"
              className="menu-item"
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.onClick();
              }}
              data-testid={item.testId}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
