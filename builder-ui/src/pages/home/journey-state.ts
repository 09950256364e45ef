import type { MessageKey } from '../../i18n.ts';
import type { I18n } from '../../i18n.ts';

const journeyStateKeys: Record<string, MessageKey> = {
  draft: 'homeStateDraft',
  published: 'homeStatePublished',
  paused: 'homeStatePaused',
  draining: 'homeStateDraining',
  stopped: 'homeStateStopped',
  archived: 'homeStateArchived',
};

/** A journey state (draft, published...) in words. */
export function journeyStateLabel(state: string, { t }: Pick<I18n, 't'>): string {
  return t(journeyStateKeys[state] ?? 'stateUnknown');
}
