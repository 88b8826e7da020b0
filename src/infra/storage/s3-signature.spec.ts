import { amzDate, encodeKeyPath, signS3 } from './s3-signature';

describe('signS3 (AWS Signature Version 4)', () => {
  // The worked example "GET Object" of the S3 documentation (sig-v4-header-based-auth.html).
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' };

  it("gives the documentation's signature for its GET example", () => {
    const authorization = signS3(
      {
        method: 'GET',
        path: '/test.txt',
        amzDate: '20130524T000000Z',
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          range: 'bytes=0-9',
          'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
          'x-amz-date': '20130524T000000Z',
        },
      },
      credentials,
    );
    expect(authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('writes dates and keys as SigV4 wants them', () => {
    expect(amzDate(new Date('2013-05-24T00:00:00.123Z'))).toBe('20130524T000000Z');
    expect(encodeKeyPath("a b/c(1)!*'.png")).toBe('a%20b/c%281%29%21%2A%27.png');
  });
});
