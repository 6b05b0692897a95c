/** Where the runtime reports what it does; the CLI prints it, tests collect it. */
export type LogLevel = "critical" | "error" | "warning" | "info" | "debug";

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
}

/** Discards everything. */
export const silentLogger: Logger = { log: () => undefined };
