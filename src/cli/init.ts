export async function runInit(_dir: string): Promise<number> {
  throw new Error('init: not written yet');
}
