import { useEffect } from 'react';

export interface ShortcutActions {
  readonly readOnly: boolean;
  undo(): void;
  redo(): void;
  copy(): void;
  paste(): void;
  deleteSelection(): void;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return (
    el !== null &&
    (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable)
  );
}

/** Delete, Ctrl/Cmd+Z, Ctrl/Cmd+Y (or Shift+Z), Ctrl/Cmd+C, Ctrl/Cmd+V; form fields keep their own. */
export function useShortcuts(actions: ShortcutActions): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const run = (action: () => void) => {
        event.preventDefault();
        action();
      };
      if (mod && key === 'c') return run(actions.copy);
      if (actions.readOnly) return;
      if (mod && key === 'z' && !event.shiftKey) return run(actions.undo);
      if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) return run(actions.redo);
      if (mod && key === 'v') return run(actions.paste);
      if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) return run(actions.deleteSelection);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions]);
}
