import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-1 over the lexicographically sorted parts, as WeChat signs its callbacks (hex, lowercase). */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** Constant-time comparison of two signatures; a length mismatch is simply unequal. */
export function signaturesEqual(expected: string, received: string | undefined): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(received.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export class WechatCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatCryptoError';
  }
}

// WeChat pads to 32-byte blocks (PKCS#7 with block size 32), not AES's 16.
const BLOCK = 32;

/**
 * The AES message crypto shared by the official account (safe mode) and WeCom:
 * AES-256-CBC, IV = first 16 bytes of the key, plaintext = random(16) | length(4, BE) | message | receiver id.
 */
export class WechatMessageCrypto {
  private readonly key: Buffer;

  /** `receiverId` is the AppID (official account) or the CorpID (WeCom) expected at the end of every message. */
  constructor(
    encodingAesKey: string,
    private readonly receiverId: string,
  ) {
    if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) {
      throw new WechatCryptoError('EncodingAESKey must be 43 characters of base64');
    }
    this.key = Buffer.from(`${encodingAesKey}=`, 'base64');
  }

  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const body = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const plain = Buffer.concat([random, length, body, Buffer.from(this.receiverId, 'utf8')]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString(
      'base64',
    );
  }

  /** Decrypts and checks the trailing receiver id; throws WechatCryptoError on anything malformed. */
  decrypt(encrypted: string): string {
    const data = Buffer.from(encrypted, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new WechatCryptoError('ciphertext length is invalid');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16)).setAutoPadding(false);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new WechatCryptoError('ciphertext cannot be decrypted');
    }
    const pad = plain[plain.length - 1]!;
    if (pad < 1 || pad > BLOCK || pad > plain.length) throw new WechatCryptoError('padding is invalid');
    const content = plain.subarray(16, plain.length - pad);
    if (content.length < 4) throw new WechatCryptoError('message is truncated');
    const length = content.readUInt32BE(0);
    if (4 + length > content.length) throw new WechatCryptoError('message length is invalid');
    const receiver = content.subarray(4 + length).toString('utf8');
    if (receiver !== this.receiverId) throw new WechatCryptoError('message is addressed to another receiver');
    return content.subarray(4, 4 + length).toString('utf8');
  }
}
