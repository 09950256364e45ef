// A workflow with a bug: its task fails on every attempt (a plain Error fails the task, not the workflow).
export async function evolving(): Promise<string> {
  throw new Error('bug in workflow code');
}
