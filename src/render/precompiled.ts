/**
 * Galley's own templates, precompiled: empty here, filled in the bundle by scripts/bundle.mjs
 * (scripts/precompile-templates.mjs), so that a start of the galley bin compiles none of them.
 * Keyed by the template's path in templates/, with the text it was compiled from.
 */
export const PRECOMPILED: Record<string, { source: string; spec: TemplateSpecification }> = {};
