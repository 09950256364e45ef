import { m } from '../../text.ts';

/** The Audit log page's strings (keys unique across the app: prefixed with the page's name). */
export const auditMessages = {
  navAudit: m('审计日志', 'Audit log'),
};
