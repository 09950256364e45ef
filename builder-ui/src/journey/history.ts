import { useCallback, useState } from 'react';

const MAX_UNDO = 100;
/** Edits with the same key this close together (typing in one field) form one undo step. */
const COALESCE_MS = 1200;

interface HistoryState<T> {
  readonly present: T;
  readonly past: readonly T[];
  readonly future: readonly T[];
  readonly lastKey: string | null;
  readonly lastAt: number;
}

export interface History<T> {
  readonly present: T;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** An undoable edit; `key` merges a burst of edits to the same thing into one step. */
  commit(update: (current: T) => T, key?: string): void;
  /** A change that is not an undo step on its own (selection, measuring, a drag in progress). */
  transient(update: (current: T) => T): void;
  /** Record the present as an undo step, e.g. when a drag starts. */
  checkpoint(): void;
  undo(): void;
  redo(): void;
  /** Start over with a new document and no history (loading a saved draft). */
  reset(next: T): void;
}

export function useHistory<T>(initial: () => T): History<T> {
  const [state, setState] = useState<HistoryState<T>>(() => ({
    present: initial(),
    past: [],
    future: [],
    lastKey: null,
    lastAt: 0,
  }));

  const commit = useCallback((update: (current: T) => T, key?: string) => {
    setState((s) => {
      const next = update(s.present);
      if (next === s.present) return s;
      const now = Date.now();
      const merge = key !== undefined && key === s.lastKey && now - s.lastAt < COALESCE_MS;
      return {
        present: next,
        past: merge ? s.past : [...s.past, s.present].slice(-MAX_UNDO),
        future: [],
        lastKey: key ?? null,
        lastAt: now,
      };
    });
  }, []);

  const transient = useCallback((update: (current: T) => T) => {
    setState((s) => {
      const next = update(s.present);
      return next === s.present ? s : { ...s, present: next };
    });
  }, []);

  const checkpoint = useCallback(() => {
    setState((s) => ({ ...s, past: [...s.past, s.present].slice(-MAX_UNDO), future: [], lastKey: null }));
  }, []);

  const undo = useCallback(() => {
    setState((s) => {
      const previous = s.past[s.past.length - 1];
      if (previous === undefined) return s;
      return {
        present: previous,
        past: s.past.slice(0, -1),
        future: [s.present, ...s.future],
        lastKey: null,
        lastAt: 0,
      };
    });
  }, []);

  const redo = useCallback(() => {
    setState((s) => {
      const next = s.future[0];
      if (next === undefined) return s;
      return { present: next, past: [...s.past, s.present], future: s.future.slice(1), lastKey: null, lastAt: 0 };
    });
  }, []);

  const reset = useCallback(
    (next: T) => setState({ present: next, past: [], future: [], lastKey: null, lastAt: 0 }),
    [],
  );

  return {
    present: state.present,
    canUndo: state.past.length > 0,
    canRedo: state.future.length > 0,
    commit,
    transient,
    checkpoint,
    undo,
    redo,
    reset,
  };
}
