/** Lets pending promise callbacks (API replies) run. */
export async function settle (): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve()
}
