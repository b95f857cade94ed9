/** When a token obtained at `obtainedAtMs` with `expiresInSeconds` of life should be replaced. */
export function refreshDueAt(obtainedAtMs: number, expiresInSeconds: number, fraction: number): number {
  return obtainedAtMs + Math.max(0, expiresInSeconds) * 1000 * fraction;
}

/**
 * The lifetime to plan with: the shorter of what the server said (`expires_in`) and what the token itself
 * says (`exp`), so a skewed or stale `expires_in` cannot make us send an expired token.
 */
export function effectiveLifetimeSeconds(expiresIn: number | undefined, expSeconds: number, nowMs: number): number {
  const untilExp = expSeconds - nowMs / 1000;
  return expiresIn === undefined || !Number.isFinite(expiresIn) ? untilExp : Math.min(expiresIn, untilExp);
}
