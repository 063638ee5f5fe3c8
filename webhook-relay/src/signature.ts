import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const SIGNATURE_FORMAT = /^sha1=[0-9a-f]{40}$/;

/** True when the header has Intercom's shape, `sha1=` and 40 lowercase hex digits. */
export function isWellFormedSignature(header: string | undefined): header is string {
  return header !== undefined && SIGNATURE_FORMAT.test(header);
}

/** `sha1=<hex>` of the HMAC-SHA1 of the raw body, the value Intercom puts in X-Hub-Signature. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

/** Compares in constant time for a given header length; only well-formed headers reach the comparison. */
export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!isWellFormedSignature(header)) return false;
  return timingSafeEqual(Buffer.from(signBody(secret, body)), Buffer.from(header));
}

/** Compares two secrets in constant time whatever their lengths, by comparing their digests. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
