export * from './i18n.ts';
export * from './customer-fields.ts';
export * from './rfm.ts';
export * from './segment.ts';
