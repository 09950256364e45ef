import { ApiRequestError } from './api.ts';
import type { I18n } from './i18n.ts';
import { fieldLabelOfPath } from './messages.ts';

/**
 * An API failure in plain words, naming the field by its form label when the API points at one. The
 * engine's own message is English for API clients: it is never shown.
 */
export function describeError(error: unknown, { t, l }: Pick<I18n, 't' | 'l'>): string {
  if (!(error instanceof ApiRequestError)) return t('pwOther');
  const field = fieldLabelOfPath(error.path);
  switch (true) {
    case error.status === 0:
      return t('errUnreachable');
    case error.status === 401:
      return t('errUnauthenticated');
    case error.status === 403:
      return t('errForbidden');
    case error.status === 404:
      return t('errNotFound');
    case error.status === 409:
      return t('pwConflict');
    case error.code === 'journey_invalid':
      return t('errJourneyInvalid', {
        count: (error.details as { errors?: unknown[] } | undefined)?.errors?.length ?? 0,
      });
    case error.code === 'unknown_field':
      return t('pwApiUnknownField');
    case error.status === 413:
      return t('pwTooLarge');
    case error.code === 'SAVED_SEGMENT_UNKNOWN':
      return t('pwSavedSegmentUnknown');
    case error.code === 'SAVED_SEGMENT_ARCHIVED':
      return t('pwSavedSegmentArchived');
    case error.status === 400 || error.status === 422:
      return field ? t('pwApiField', { field: l(field) }) : t('pwApiInvalid');
    case error.status === 503:
      return t('errTemporal');
    default:
      return t('pwOther');
  }
}
