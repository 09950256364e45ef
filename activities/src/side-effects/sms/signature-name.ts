/** The vendors add the shop's signature themselves from SignName: split `【店名】body` into the two. */
export function splitSignature(text: string): { signName: string; content: string } {
  const match = /^【([^】]+)】/.exec(text);
  return match
    ? { signName: match[1] as string, content: text.slice(match[0].length) }
    : { signName: '', content: text };
}
