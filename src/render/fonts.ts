import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** A font family shipped as an npm package by Fontsource: one WOFF2 file per subset, weight and style. */
interface FontPackage {
  family: string;
  name: string;
  weights: number[];
  styles?: readonly Style[];
  /**
   * Fontsource ships some fonts whole under one subset's name (STIX Two Math's "latin" file has
   * all its 4,600 glyphs and its MATH table): such a face is used for every character.
   */
  whole?: boolean;
}
type Style = 'normal' | 'italic';

/** The print edition's faces: Source Serif 4 for text, Source Sans 3 for headings and page furniture, Source Code Pro for code, STIX Two Math for formulas. */
const FONT_PACKAGES: FontPackage[] = [
  { family: 'Source Serif 4', name: 'source-serif-4', weights: [400, 600, 700] },
  { family: 'Source Sans 3', name: 'source-sans-3', weights: [400, 600, 700] },
  { family: 'Source Code Pro', name: 'source-code-pro', weights: [400, 700] },
  { family: 'STIX Two Math', name: 'stix-two-math', weights: [400], styles: ['normal'], whole: true },
];
const STYLES: readonly Style[] = ['normal', 'italic'];

const require = createRequire(import.meta.url);

/** The folder of one of galley's @fontsource packages, such as `source-serif-4`. */
export function fontPackageDir(name: string): string {
  return path.dirname(require.resolve(`@fontsource/${name}/package.json`));
}

/** The folders the print page may load fonts from. */
export function fontDirs(): string[] {
  return FONT_PACKAGES.map((font) => fontPackageDir(font.name));
}

let faceRules: string | undefined;

/**
 * `@font-face` rules for every face, pointing at the WOFF2 files in node_modules. Each subset has
 * its unicode-range, so Chrome loads (and embeds) only the files a document uses. Made once per run.
 */
export function fontFaceCss(): string {
  faceRules ??= faceRulesOfPackages();
  return faceRules;
}

function faceRulesOfPackages(): string {
  return FONT_PACKAGES.flatMap((font) => {
    const dir = fontPackageDir(font.name);
    const subsets = JSON.parse(readFileSync(path.join(dir, 'unicode.json'), 'utf8')) as Record<string, string>;
    return font.weights.flatMap((weight) =>
      (font.styles ?? STYLES).flatMap((style) =>
        Object.entries(subsets).map(([subset, range]) => {
          const file = path.join(dir, 'files', `${font.name}-${subset}-${weight}-${style}.woff2`);
          return [
            '@font-face {',
            `  font-family: "${font.family}";`,
            `  font-style: ${style};`,
            `  font-weight: ${weight};`,
            '  font-display: block;',
            `  src: url("${pathToFileURL(file).href}") format("woff2");`,
            ...(font.whole ? [] : [`  unicode-range: ${range};`]),
            '}',
          ].join('\n');
        }),
      ),
    );
  }).join('\n');
}
