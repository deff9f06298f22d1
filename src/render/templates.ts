import { access, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { GalleyError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import { PRECOMPILED } from './precompiled.js';

export const BUILTIN_TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');

const TEMPLATE_FILES = {
  printHtml: 'print.html',
  printCss: 'print.css',
  printBook: 'print-book.html',
  chapter: 'epub/chapter.xhtml',
  package: 'epub/package.opf',
  nav: 'epub/nav.xhtml',
  ncx: 'epub/toc.ncx',
  epubCss: 'epub/style.css',
  cover: 'cover.svg',
} as const;

type TemplateName = keyof typeof TEMPLATE_FILES;

/** The templates each format is made from. */
const FORMAT_TEMPLATES: Record<'pdf' | 'epub', TemplateName[]> = {
  pdf: ['printHtml', 'printCss', 'printBook'],
  epub: ['chapter', 'package', 'nav', 'ncx', 'epubCss', 'cover'],
};

/** The templates a build of `formats` uses. */
export function templatesFor(formats: readonly ('pdf' | 'epub')[]): TemplateName[] {
  return formats.flatMap((format) => FORMAT_TEMPLATES[format]);
}
export type Template = (context: object) => string;

export interface TemplateSet {
  render: Record<TemplateName, Template>;
  /** Where each template was read from, for error messages and cache keys. */
  files: Record<TemplateName, string>;
  /** Each template's text, as read for compiling (the cover's is in its cache key). */
  sources: Record<TemplateName, string>;
}

/** A CSS string literal, safe inside a <style> element. */
function cssString(value: unknown): Handlebars.SafeString {
  const escaped = String(value ?? '').replace(/[\\"<>\n\r\f]/g, (char) => `\\${char.charCodeAt(0).toString(16)} `);
  return new Handlebars.SafeString(`"${escaped}"`);
}

function join(list: unknown, separator: unknown): string {
  return Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : '';
}

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  engine.registerHelper({ cssString, join });
  return engine;
}

/**
 * Loads the templates: each file from `userDir` when it has one, else galley's own.
 * Templates are Handlebars, which escapes every `{{value}}`; only `{{{html}}}` is inserted raw.
 */
export async function loadTemplates(userDir?: string): Promise<TemplateSet> {
  return compileTemplates(await templateFiles(userDir));
}

/** Which file each template is read from: `userDir`'s when it has one, else galley's own. Nothing is compiled. */
export async function templateFiles(userDir?: string): Promise<Record<TemplateName, string>> {
  if (userDir !== undefined) {
    const info = await stat(userDir).catch(() => undefined);
    if (!info?.isDirectory()) throw new GalleyError(`--templates ${userDir}: no such folder`);
  }
  const files = {} as Record<TemplateName, string>;
  for (const [name, file] of Object.entries(TEMPLATE_FILES) as [TemplateName, string][]) {
    files[name] = userDir && (await exists(path.join(userDir, file))) ? path.join(userDir, file) : path.join(BUILTIN_TEMPLATES_DIR, file);
  }
  return files;
}

/**
 * Compiles the templates `files` names: those `now` lists at once, the others when first used (a
 * build of one format never compiles the other's). A template that does not compile is an error
 * naming it and its line.
 */
export async function compileTemplates(
  files: Record<TemplateName, string>,
  now: readonly TemplateName[] = Object.keys(files) as TemplateName[],
): Promise<TemplateSet> {
  const engine = createEngine();
  const render = {} as Record<TemplateName, Template>;
  const sources = {} as Record<TemplateName, string>;
  for (const [name, file] of Object.entries(files) as [TemplateName, string][]) {
    const source = await readFile(file, 'utf8');
    sources[name] = source;
    if (now.includes(name)) render[name] = compile(engine, file, source);
    else {
      let compiled: Template | undefined;
      render[name] = (context) => {
        compiled ??= compile(engine, file, source);
        return compiled(context);
      };
    }
  }
  return { render, files, sources };
}

/** One template compiled from its text, as compileTemplates would (for a thread of its own). */
export function compileTemplate(file: string, source: string): Template {
  return compile(createEngine(), file, source);
}

function compile(engine: typeof Handlebars, file: string, source: string): Template {
  let template: HandlebarsTemplateDelegate;
  try {
    template = precompiled(engine, file, source) ?? engine.compile(source, { strict: false, preventIndent: true });
    template({});
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    throw new GalleyError(`template error: ${message.split('\n')[0]}`, { file, line: line ? Number(line) : undefined });
  }
  return (context) => template(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}

/** Galley's own template as the bundle precompiled it, when the file still holds the text it was compiled from. */
function precompiled(engine: typeof Handlebars, file: string, source: string): HandlebarsTemplateDelegate | undefined {
  const builtin = path.relative(BUILTIN_TEMPLATES_DIR, file).split(path.sep).join('/');
  const entry = PRECOMPILED[builtin];
  return entry?.source === source ? engine.template(entry.spec) : undefined;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
