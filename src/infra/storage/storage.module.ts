import { Global, Module } from '@nestjs/common';
import { MediaSettings } from '../../config/environment';
import { LocalDiskStorage } from './local-disk-storage';
import { MediaStorage } from './media-storage';
import { S3Storage } from './s3-storage';

/** The media store STORAGE_BACKEND names: the local disk (STORAGE_DIR) or an S3-compatible bucket. */
export function createMediaStorage(media: MediaSettings): MediaStorage {
  if (media.STORAGE_BACKEND === 's3') {
    return new S3Storage({
      endpoint: media.S3_ENDPOINT!,
      bucket: media.S3_BUCKET!,
      region: media.S3_REGION,
      accessKeyId: media.S3_ACCESS_KEY_ID!,
      secretAccessKey: media.S3_SECRET_ACCESS_KEY!,
      publicUrl: media.S3_PUBLIC_URL!,
    });
  }
  return new LocalDiskStorage(media.STORAGE_DIR);
}

@Global()
@Module({
  providers: [{ provide: MediaStorage, inject: [MediaSettings], useFactory: createMediaStorage }],
  exports: [MediaStorage],
})
export class StorageModule {}
