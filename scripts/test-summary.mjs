// Prints one plain closing line from Vitest's JSON report ("Tests: N passed, N failed, N skipped"),
// so CI logs end with a count any reader (or tool) understands.
import { readFileSync } from 'node:fs'

try {
  const r = JSON.parse(readFileSync(new URL('../test-results/vitest.json', import.meta.url), 'utf8'))
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
  console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
} catch {
  console.log('Tests: 0 passed, 1 failed')
  console.log('(no Vitest report was written: the run stopped before the tests)')
}
