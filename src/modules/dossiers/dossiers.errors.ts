import { HttpStatus } from '@nestjs/common';
import { AppError } from '../../common/app-error';

export const DossierErrors = {
  engineUnavailable: () =>
    new AppError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'PDF_ENGINE_UNAVAILABLE',
      'Dossiers are printed by Chromium, which is not installed at CHROMIUM_PATH: install it (`apt-get install chromium` on Debian) or point CHROMIUM_PATH at it.',
    ),
  engineBusy: () =>
    new AppError(HttpStatus.SERVICE_UNAVAILABLE, 'PDF_ENGINE_BUSY', 'Too many dossiers are being printed right now; try again in a few seconds.'),
  targetSuppressed: () =>
    new AppError(HttpStatus.CONFLICT, 'DOSSIER_TARGET_SUPPRESSED', 'Letters to this target stopped after repeated bounces: the dossier cannot be emailed.'),
};
