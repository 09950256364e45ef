import { createContext, useContext, useEffect, useState } from 'react';
import type { SavedSegment } from '../saved-segments-api.ts';
import { listSavedSegments } from '../saved-segments-api.ts';

/**
 * The shop's saved segments (GET /api/segments?counts=false), asked once and shared by every
 * picker; a segments page that saves or archives one calls `forgetSavedSegments` so the next picker
 * asks again. null until known (or when the engine could not say).
 */
let cached: Promise<SavedSegment[] | null> | null = null;

function load(): Promise<SavedSegment[] | null> {
  cached ??= listSavedSegments({ counts: false }).catch(() => {
    cached = null;
    return null;
  });
  return cached;
}

export function forgetSavedSegments(): void {
  cached = null;
}

export function useSavedSegments(): readonly SavedSegment[] | null {
  const [segments, setSegments] = useState<readonly SavedSegment[] | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((list) => {
      if (live) setSegments(list);
    });
    return () => {
      live = false;
    };
  }, []);
  return segments;
}

/**
 * Whether the condition builder offers saved segments: not while a saved segment itself is being
 * edited (a saved segment is not built on others).
 */
export const SavedSegmentsOffered = createContext(true);
export const useSavedSegmentsOffered = () => useContext(SavedSegmentsOffered);
