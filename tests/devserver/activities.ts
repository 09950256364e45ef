// Activities for the dev-server tests.
export async function echo(message: string): Promise<string> {
  return message;
}
