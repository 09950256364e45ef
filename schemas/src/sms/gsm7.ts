/**
 * The GSM 03.38 default alphabet (one septet each) and its extension table (escape + char = two
 * septets). Any character outside both forces the whole message into UCS-2.
 */
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(BASIC);
const extension = new Set(EXTENSION);

/** Septets a character takes in GSM-7, or 0 when it is not representable. */
export function gsm7Septets(char: string): 0 | 1 | 2 {
  if (basic.has(char)) return 1;
  if (extension.has(char)) return 2;
  return 0;
}
