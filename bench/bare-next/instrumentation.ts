/**
 * Turbopack looks for the instrumentation hook at the workspace root when the app has none, and
 * would bundle Tollgate's own start-up into the floor; this empty hook keeps the app bare.
 */
export function register(): void {}
