// How a CLI command ends: its exit codes, and the usage error (a mistake in how the CLI was called
// or in what it was given: one line on stderr, exit 2).
export class UsageError extends Error {}

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
