/** Colors and progress bars only for a person at a terminal: never in CI, never into a pipe or file. */
export function isInteractive(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR || process.env.CI === 'true' || process.env.CI === '1') return false;
  return !!stream.isTTY;
}
