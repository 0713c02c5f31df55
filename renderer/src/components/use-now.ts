// The current time, re-read every `intervalMs`, for text that counts ("lost contact 0:35 ago",
// "12 s ago") and must move even when no new state arrives.
import { useEffect, useState } from 'react'

export function useNow (intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
