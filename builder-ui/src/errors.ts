import { ApiRequestError } from './api.ts';
import type { I18n } from './i18n.ts';

/** An API failure in plain words, with the field it is about when the API names one. */
export function describeError(error: unknown, { t }: Pick<I18n, 't'>): string {
  if (!(error instanceof ApiRequestError))
    return t('errOther', { message: error instanceof Error ? error.message : String(error) });
  const where = error.path.length > 0 ? t('errWhere', { path: error.path.join('.') }) : '';
  switch (true) {
    case error.status === 0:
      return t('errUnreachable');
    case error.status === 401:
      return t('errUnauthenticated');
    case error.status === 403:
      return t('errForbidden');
    case error.status === 404:
      return t('errNotFound') + where;
    case error.status === 409:
      return t('errConflict', { message: error.message });
    case error.code === 'journey_invalid':
      return t('errJourneyInvalid', {
        count: (error.details as { errors?: unknown[] } | undefined)?.errors?.length ?? 0,
      });
    case error.status === 400 || error.status === 422:
      return t('errInvalid', { message: error.message }) + where;
    case error.status === 503:
      return t('errTemporal');
    default:
      return t('errOther', { message: error.message });
  }
}
