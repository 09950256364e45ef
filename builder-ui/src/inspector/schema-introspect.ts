import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string | number>;
  checks?: Array<{ _zod: { def: { check: string; value?: number; inclusive?: boolean } } }>;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under default/optional/nullable/prefault wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType === undefined || !['default', 'optional', 'nullable', 'prefault', 'readonly'].includes(def.type))
      return current;
    current = def.innerType;
  }
}

/** Allowed values of an enum field, or of an array-of-enum field's items (for selects without options). */
export function enumValues(schema: z.ZodType): string[] {
  let inner = unwrap(schema);
  const def = defOf(inner);
  if (def.type === 'array' && def.element !== undefined) inner = unwrap(def.element);
  const entries = defOf(inner).entries;
  return entries === undefined ? [] : Object.values(entries).map(String);
}

export function isNullable(schema: z.ZodType): boolean {
  return schema.safeParse(null).success;
}
