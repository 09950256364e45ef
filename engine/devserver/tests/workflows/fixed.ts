// The same workflow type after the fix is deployed.
export async function evolving(): Promise<string> {
  return 'fixed';
}
