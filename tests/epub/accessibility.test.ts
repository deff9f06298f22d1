import { describe, expect, it } from 'vitest';
import {
  accessibilityMetadata,
  CONFORMANCE_CLAIM,
  everyImageDescribed,
  mayAnimate,
  type BookFeatures,
} from '../../src/epub/accessibility.js';
import { GALLEY_VERSION } from '../../src/version.js';

const STILL_AND_DESCRIBED: BookFeatures = {
  imageTypes: [],
  hasMovingImages: false,
  allImagesDescribed: true,
  hasFootnotes: false,
  hasMath: false,
};
const encode = (text: string) => new TextEncoder().encode(text);

describe('accessibility metadata', () => {
  it('a text with described images (or none) is sufficient as text, has no hazard, and claims EPUB Accessibility 1.1 at WCAG 2.2 AA', () => {
    for (const imageTypes of [[], ['image/png', 'image/svg+xml']]) {
      const metadata = accessibilityMetadata({ ...STILL_AND_DESCRIBED, imageTypes });
      expect(metadata.accessModes).toEqual(['textual', 'visual']);
      expect(metadata.accessModesSufficient).toEqual(['textual', 'textual,visual']);
      expect(metadata.features).toContain('alternativeText');
      expect(metadata.hazards).toEqual(['none']);
      expect(metadata.conformsTo).toBe('EPUB Accessibility 1.1 - WCAG 2.2 Level AA');
      expect(metadata.certifiedBy).toBe(`galley ${GALLEY_VERSION}`);
    }
    expect(CONFORMANCE_CLAIM).toBe('EPUB Accessibility 1.1 - WCAG 2.2 Level AA');
  });

  it('a text with images left without alt text needs the pictures too, and makes no claim', () => {
    const metadata = accessibilityMetadata({
      imageTypes: ['image/png'],
      hasMovingImages: false,
      allImagesDescribed: false,
      hasFootnotes: true,
      hasMath: false,
    });
    expect(metadata.accessModesSufficient).toEqual(['textual,visual']);
    expect(metadata.features).not.toContain('alternativeText');
    expect(metadata.conformsTo).toBeUndefined();
  });

  it('images that may move: flashing and motion are not known, and no claim is made', () => {
    const metadata = accessibilityMetadata({ ...STILL_AND_DESCRIBED, imageTypes: ['image/gif'], hasMovingImages: true });
    expect(metadata.hazards).toEqual(['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard']);
    expect(metadata.features).toContain('alternativeText');
    expect(metadata.conformsTo).toBeUndefined();
  });
});

describe('what the metadata is read from', () => {
  it('an image is described when its alt text has something in it', () => {
    expect(everyImageDescribed([])).toBe(true);
    expect(everyImageDescribed(['<p>No images.</p>', '<img alt="A chart" src="a.png"/><img src="b.png" alt=\'B\'/>'])).toBe(true);
    expect(everyImageDescribed(['<img alt="A chart" src="a.png"/>', '<img role="presentation" alt="" src="b.png"/>'])).toBe(false);
    expect(everyImageDescribed(['<img role="presentation" alt="  " src="b.png"/>'])).toBe(false);
    expect(everyImageDescribed(['<img src="b.png"/>'])).toBe(false);
  });

  it('GIF and WebP may be animated; an SVG moves when it holds SMIL or CSS animation', () => {
    expect(mayAnimate('image/gif', undefined)).toBe(true);
    expect(mayAnimate('image/webp', undefined)).toBe(true);
    expect(mayAnimate('image/png', undefined)).toBe(false);
    expect(mayAnimate('image/jpeg', undefined)).toBe(false);
    expect(mayAnimate('image/svg+xml', encode('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'))).toBe(false);
    expect(mayAnimate('image/svg+xml', encode('<svg><rect><animate attributeName="x" to="5" dur="1s"/></rect></svg>'))).toBe(true);
    expect(mayAnimate('image/svg+xml', encode('<svg:svg><svg:set attributeName="fill" to="red"/></svg:svg>'))).toBe(true);
    expect(mayAnimate('image/svg+xml', encode('<svg><style>@keyframes spin { to { transform: rotate(1turn) } }</style></svg>'))).toBe(true);
    expect(mayAnimate('image/svg+xml', encode('<svg><rect style="animation: spin 1s infinite"/></svg>'))).toBe(true);
    expect(mayAnimate('image/svg+xml', encode('<svg><settings/><text>set an animation aside</text></svg>'))).toBe(false);
    expect(mayAnimate('image/svg+xml', undefined)).toBe(true);
  });
});
