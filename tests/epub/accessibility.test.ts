import { describe, expect, it } from 'vitest';
import { accessibilityMetadata } from '../../src/epub/accessibility.js';

describe('accessibility metadata', () => {
  it('a text with described images (or none) is sufficient as text, and has no hazard', () => {
    for (const imageTypes of [[], ['image/png', 'image/svg+xml']]) {
      const metadata = accessibilityMetadata({ imageTypes, allImagesDescribed: true, hasFootnotes: false });
      expect(metadata.accessModes).toEqual(['textual', 'visual']);
      expect(metadata.accessModesSufficient).toEqual(['textual', 'textual,visual']);
      expect(metadata.features).toContain('alternativeText');
      expect(metadata.hazards).toEqual(['none']);
    }
  });

  it('a text with images left without alt text needs the pictures too', () => {
    const metadata = accessibilityMetadata({ imageTypes: ['image/png'], allImagesDescribed: false, hasFootnotes: true });
    expect(metadata.accessModesSufficient).toEqual(['textual,visual']);
    expect(metadata.features).not.toContain('alternativeText');
  });

  it('GIF and WebP may be animated: flashing and motion are not known', () => {
    const metadata = accessibilityMetadata({ imageTypes: ['image/gif'], allImagesDescribed: true, hasFootnotes: false });
    expect(metadata.hazards).toEqual(['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard']);
  });
});
