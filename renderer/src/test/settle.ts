/** Lets pending promise callbacks (API replies) run. */
export async function settle (): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve()
}
