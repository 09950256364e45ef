import { m } from '../../text.ts';

/** The Segments page's strings (keys unique across the app: prefixed with the page's name). */
export const segmentsMessages = {
  navSegments: m('人群', 'Segments'),
};
