export { CUSTOM_FAILURE, bindCustomActivities, defineActivity } from './define-activity.ts';
export type { ActivitySpec, CustomActivity, CustomActivityContext } from './define-activity.ts';
export { actionResultOutput, cohortRefSchema, cycleStateSchema, nodeCallInput } from './schemas.ts';
export { awardPoints } from './examples/award-points.ts';
export { sendEmail } from './email/send-email.ts';
export type { EmailChannel, EmailOutcome, Mailer, OutgoingEmail } from './email/mailer.ts';
export { localEmailChannel, localEmailSink } from './email/local-sink.ts';
export { smtpMailer } from './email/smtp-mailer.ts';
export {
  UNSUBSCRIBE_PATH,
  readUnsubscribeToken,
  recordEmailOptOut,
  unsubscribeKey,
  unsubscribeToken,
  unsubscribeUrl,
} from './email/unsubscribe.ts';

import { customActions } from '../journey-activities.ts';

/** The custom activities shipped with Huitou (registered in journey-activities.ts). */
export const customActivities = Object.values(customActions);
