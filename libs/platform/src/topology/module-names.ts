/** The five bounded contexts. Order matters only for display and port defaults. */
export const MODULE_NAMES = ['users', 'products', 'search', 'orders', 'logging'] as const;

export type ModuleName = (typeof MODULE_NAMES)[number];

export function isModuleName(value: string): value is ModuleName {
  return (MODULE_NAMES as readonly string[]).includes(value);
}
