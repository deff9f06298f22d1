/** The options galley compiles every template with. */
export const COMPILE_OPTIONS: { strict: boolean; preventIndent: boolean };
/** The source of a module exporting PRECOMPILED: each template of `dir`, by its path there, as text and code. */
export function precompiledTemplatesModule(dir: string): Promise<string>;
