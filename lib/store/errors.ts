import { brand, isBranded } from "@/lib/brand";

const STORE_UNAVAILABLE = brand("StoreUnavailableError");

/** The shared store (Redis) cannot be reached; the outage policy decides what happens next. */
export class StoreUnavailableError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, STORE_UNAVAILABLE);
  }

  readonly [STORE_UNAVAILABLE] = true;

  constructor(message: string) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}
