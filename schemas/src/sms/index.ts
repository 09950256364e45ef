export * from './gsm7.ts';
export * from './counter.ts';
export * from './variables.ts';
export * from './template.ts';
export * from './compose.ts';
