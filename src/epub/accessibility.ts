/** What the book holds, as far as its accessibility metadata is concerned. */
export interface BookFeatures {
  /** Media types of the images in the text (not the cover). */
  imageTypes: string[];
  /** Whether every image in the text has alt text (those without are marked decorative). */
  allImagesDescribed: boolean;
  hasFootnotes: boolean;
}

/** schema.org accessibility metadata (EPUB Accessibility 1.1), for the package document. */
export interface AccessibilityMetadata {
  accessModes: string[];
  accessModesSufficient: string[];
  features: string[];
  hazards: string[];
  /** For the summary's wording in the template. */
  hasImages: boolean;
  allImagesDescribed: boolean;
  hasFootnotes: boolean;
}

/** Image types that may be animated, so may flash or simulate motion. */
const MAY_ANIMATE = new Set(['image/gif', 'image/webp']);

export function accessibilityMetadata(book: BookFeatures): AccessibilityMetadata {
  const hasImages = book.imageTypes.length > 0;
  // The cover is an image with alt text, and its words are on the title page too.
  const textualIsEnough = !hasImages || book.allImagesDescribed;
  const mayAnimate = book.imageTypes.some((type) => MAY_ANIMATE.has(type));
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
    ],
    hazards: mayAnimate ? ['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard'] : ['none'],
    hasImages,
    allImagesDescribed: book.allImagesDescribed,
    hasFootnotes: book.hasFootnotes,
  };
}
