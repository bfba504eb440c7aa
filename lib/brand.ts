/**
 * Next.js bundles instrumentation and every route apart, so a class defined once in `lib/` exists
 * once per bundle, and `instanceof` fails for an error thrown by the shared runtime (created in one
 * bundle) and caught in a route (another). Branded classes recognise each other's instances by a
 * registered symbol instead. See GatewayError for the pattern.
 */
export function brand(name: string): symbol {
  return Symbol.for(`tollgate.${name}`);
}

export function isBranded(value: unknown, mark: symbol): boolean {
  return typeof value === "object" && value !== null && mark in value;
}
