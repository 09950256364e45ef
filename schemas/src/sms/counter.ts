import { gsm7Septets } from './gsm7.ts';

/** Per docs/domain.md § SMS rules: one SMS holds 70 UCS-2 / 160 GSM-7 units; longer messages bill per 67 / 153. */
export const SMS_LIMITS = {
  'UCS-2': { single: 70, part: 67, maxUnits: 500 },
  'GSM-7': { single: 160, part: 153, maxUnits: 10 * 153 },
} as const;

export type SmsEncoding = keyof typeof SMS_LIMITS;

export interface SmsCount {
  readonly encoding: SmsEncoding;
  /** Billed length: septets for GSM-7 (extension characters count 2), UTF-16 units for UCS-2. */
  readonly units: number;
  readonly segments: number;
  /** Capacity of each segment: the single-SMS size when it fits in one, else the per-part size. */
  readonly perSegment: number;
  /** Units still free in the last segment before another one is billed. */
  readonly remaining: number;
  /** Over the provider maximum (about 500 characters in mainland China). */
  readonly tooLong: boolean;
  /** segments x unit price, in yuan. */
  readonly cost: number;
}

/**
 * Count a complete message (signature and opt-out suffix included, see composeSms). Parts are filled
 * greedily and a character never straddles two parts (a GSM escape pair or a UTF-16 surrogate pair
 * moves whole to the next part), as handsets and gateways do.
 */
export function countSms(message: string, unitPrice = 0): SmsCount {
  const chars = Array.from(message);
  const septets = chars.map(gsm7Septets);
  const gsm = septets.every((s) => s > 0);
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const weights = gsm ? (septets as number[]) : chars.map((c) => c.length);
  const units = weights.reduce((a, b) => a + b, 0);
  const limits = SMS_LIMITS[encoding];

  let segments: number;
  let perSegment: number;
  let fill: number;
  if (units <= limits.single) {
    segments = units === 0 ? 0 : 1;
    perSegment = limits.single;
    fill = units;
  } else {
    perSegment = limits.part;
    segments = 1;
    fill = 0;
    for (const w of weights) {
      if (fill + w > perSegment) {
        segments += 1;
        fill = 0;
      }
      fill += w;
    }
  }
  return {
    encoding,
    units,
    segments,
    perSegment,
    remaining: segments === 0 ? perSegment : perSegment - fill,
    tooLong: units > limits.maxUnits,
    cost: roundYuan(segments * unitPrice),
  };
}

/** Money rounded to 1/10000 yuan so that 3 x 0.045 shows as 0.135, not 0.13499999999999998. */
export function roundYuan(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
