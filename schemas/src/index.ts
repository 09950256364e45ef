export * from './i18n.ts';
export * from './customer-fields.ts';
export * from './rfm.ts';
export * from './segment.ts';
export * from './duration.ts';
export * from './time-windows.ts';
export * from './ui.ts';
export * from './sms/index.ts';
