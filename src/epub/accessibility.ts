import { GALLEY_VERSION } from '../version.js';

/** What the book holds, as far as its accessibility metadata is concerned. */
export interface BookFeatures {
  /** Media types of the images in the text (not the cover). */
  imageTypes: string[];
  /** Whether an image, the cover included, may move by itself (see `mayAnimate`). */
  hasMovingImages: boolean;
  /** Whether every image in the text has alt text (those without are marked decorative). */
  allImagesDescribed: boolean;
  hasFootnotes: boolean;
  /** Whether the text holds MathML (each formula with its TeX as alttext). */
  hasMath: boolean;
}

/** schema.org accessibility metadata and the conformance claim (EPUB Accessibility 1.1), for the package document. */
export interface AccessibilityMetadata {
  accessModes: string[];
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  /** `dcterms:conformsTo`; none when the book holds something galley cannot vouch for. */
  conformsTo: string | undefined;
  /** `a11y:certifiedBy`: who stands behind the claim. */
  certifiedBy: string;
  /** For the summary's wording in the template. */
  hasImages: boolean;
  allImagesDescribed: boolean;
  hasMovingImages: boolean;
  hasFootnotes: boolean;
}

/** The claim, word for word as EPUB Accessibility 1.1 §2.1 spells it (Ace checks the exact string). */
export const CONFORMANCE_CLAIM = 'EPUB Accessibility 1.1 - WCAG 2.2 Level AA';

export function accessibilityMetadata(book: BookFeatures): AccessibilityMetadata {
  const hasImages = book.imageTypes.length > 0;
  // The cover is an image with alt text, and its words are on the title page too.
  const textualIsEnough = !hasImages || book.allImagesDescribed;
  return {
    accessModes: ['textual', 'visual'],
    accessModesSufficient: textualIsEnough ? ['textual', 'textual,visual'] : ['textual,visual'],
    features: [
      'structuralNavigation',
      'tableOfContents',
      'readingOrder',
      'displayTransformability',
      'ARIA',
      ...(textualIsEnough ? ['alternativeText'] : []),
      ...(book.hasMath ? ['MathML', 'describedMath'] : []),
    ],
    hazards: book.hasMovingImages ? ['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard'] : ['none'],
    // WCAG 1.1.1 wants a text alternative for every image that is not decorative, and galley cannot
    // tell a decorative image from one whose alt text was forgotten; 2.2.2 and 2.3.1 want moving and
    // flashing content under control, and nothing here looks inside animations.
    conformsTo: textualIsEnough && !book.hasMovingImages ? CONFORMANCE_CLAIM : undefined,
    certifiedBy: `galley ${GALLEY_VERSION}`,
    hasImages,
    allImagesDescribed: book.allImagesDescribed,
    hasMovingImages: book.hasMovingImages,
    hasFootnotes: book.hasFootnotes,
  };
}

const IMG_TAG = /<img\b[^>]*>/g;
const ALT_ATTRIBUTE = /\salt\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/** Whether every `<img>` in these XHTML bodies has alt text with something in it. */
export function everyImageDescribed(bodies: string[]): boolean {
  return bodies.every((body) =>
    [...body.matchAll(IMG_TAG)].every(([tag]) => {
      const alt = ALT_ATTRIBUTE.exec(tag);
      return alt !== null && (alt[1] ?? alt[2] ?? '').trim() !== '';
    }),
  );
}

/** Image types that may be animated: their frames are not looked into. */
const MAY_BE_ANIMATED = new Set(['image/gif', 'image/webp']);
const SMIL_ANIMATION = /<(?:[\w.-]+:)?(?:animate|animateMotion|animateTransform|animateColor|set)[\s/>]/;
const CSS_ANIMATION = /@keyframes|\banimation(?:-name)?\s*:/i;

/**
 * Whether an image may move by itself, so may flash or simulate motion: any GIF or WebP, and an SVG
 * with SMIL animation elements or CSS animations (an SVG whose bytes are not given is taken to move).
 */
export function mayAnimate(mediaType: string, bytes: Uint8Array | undefined): boolean {
  if (mediaType !== 'image/svg+xml') return MAY_BE_ANIMATED.has(mediaType);
  if (!bytes) return true;
  const svg = new TextDecoder().decode(bytes);
  return SMIL_ANIMATION.test(svg) || CSS_ANIMATION.test(svg);
}
