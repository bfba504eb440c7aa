import pino from "pino";

/**
 * The process logger: JSON lines on stdout. Request handlers log through `logger.child({ requestId })`
 * so that every line of a request carries its id. Key material is redacted by path as a second line
 * of defence; the code never logs a whole key or prompt text in the first place.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "tollgate" },
  redact: {
    paths: ["key", "apiKey", "authorization", "*.authorization", "*.apiKey"],
    censor: "[redacted]",
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});

export type Logger = pino.Logger;
