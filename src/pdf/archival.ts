import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PDFArray, PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib';
import { GalleyError } from '../errors.js';

/** A freely licensed sRGB profile (Debian's icc-profiles-free), for the PDF/A OutputIntent. */
export const SRGB_PROFILE = '/usr/share/color/icc/sRGB.icc';

/**
 * What PDF/A asks beyond Chrome's file: an OutputIntent that makes its DeviceRGB colours sRGB
 * (ISO 19005-3, 6.2.4.3), and a trailer /ID (6.1.3), here derived from what the edition was made
 * from, so that a rebuild keeps it.
 */
export async function addArchivalParts(pdf: PDFDocument, identity: string): Promise<void> {
  const profile = await readFile(SRGB_PROFILE).catch(() => {
    throw new GalleyError(
      `PDF/A needs the sRGB colour profile ${SRGB_PROFILE} (on Debian: apt-get install icc-profiles-free), or build with --pdf-standard none`,
    );
  });
  const iccStream = pdf.context.register(pdf.context.flateStream(profile, { N: 3 }));
  const intent = pdf.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
    Info: PDFString.of('sRGB IEC61966-2.1'),
    DestOutputProfile: iccStream,
  });
  pdf.catalog.set(PDFName.of('OutputIntents'), pdf.context.obj([pdf.context.register(intent)]));
  const id = PDFHexString.of(createHash('sha256').update(identity).digest('hex').slice(0, 32));
  pdf.context.trailerInfo.ID = PDFArray.withContext(pdf.context);
  (pdf.context.trailerInfo.ID as PDFArray).push(id);
  (pdf.context.trailerInfo.ID as PDFArray).push(id);
}
