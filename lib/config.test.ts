import { describe, expect, it } from "vitest";
import { loggableConfig, parseConfig } from "./config";

// setTimeout and setInterval take at most 2^31-1 ms; a longer delay is clamped to 1 ms and fires at once.
const TIMER_MAX_MS = 2 ** 31 - 1;

describe("parseConfig", () => {
  it("takes the defaults from an empty environment, and an empty variable as unset", () => {
    const config = parseConfig({ PURGE_INTERVAL_MINUTES: "", WAIT_MAX_SECONDS: undefined });
    expect(config).toMatchObject({
      PORT: 3000,
      PURGE_INTERVAL_MINUTES: 10,
      WAIT_MAX_SECONDS: 120,
      SSE_HEARTBEAT_SECONDS: 20,
    });
  });

  // Each duration, its unit in milliseconds, and the largest value it accepts.
  const durations: [name: string, unitMs: number, max: number][] = [
    ["PURGE_INTERVAL_MINUTES", 60_000, 7 * 24 * 60],
    ["HOST_OFFLINE_AFTER_MINUTES", 60_000, 7 * 24 * 60],
    ["SSE_HEARTBEAT_SECONDS", 1000, 3600],
    ["SSE_RETRY_MS", 1, 600_000],
    ["WAIT_MAX_SECONDS", 1000, 3600],
    ["RETENTION_DAYS", 86_400_000, 36_500],
    ["QUARANTINE_RETENTION_DAYS", 86_400_000, 36_500],
  ];

  it.each(durations)(
    "%s accepts its largest value and refuses one more, naming the variable and the range",
    (name, unitMs, max) => {
      expect(parseConfig({ [name]: String(max) })[name as keyof ReturnType<typeof parseConfig>]).toBe(max);
      const min = name === "SSE_RETRY_MS" ? 100 : 1;
      expect(() => parseConfig({ [name]: String(max + 1) })).toThrow(
        `${name}: must be an integer from ${min} to ${max}`,
      );
      expect(() => parseConfig({ [name]: String(min - 1) })).toThrow(
        `${name}: must be an integer from ${min} to ${max}`,
      );
      // The ones that become timers stay within what a timer can wait.
      if (unitMs < 86_400_000) expect(max * unitMs).toBeLessThanOrEqual(TIMER_MAX_MS);
    },
  );

  it("refuses the value that made the purge run back to back, and values that are not integers", () => {
    // 35,792 minutes is just past 2^31-1 ms: the purge interval that overflowed setInterval.
    expect(() => parseConfig({ PURGE_INTERVAL_MINUTES: "35792" })).toThrow(
      "Invalid configuration: PURGE_INTERVAL_MINUTES: must be an integer from 1 to 10080",
    );
    for (const value of ["1e30", "2.5", "ten", "-1"]) {
      expect(() => parseConfig({ WAIT_MAX_SECONDS: value }), value).toThrow(
        /^Invalid configuration: WAIT_MAX_SECONDS: must be an integer from 1 to 3600$/,
      );
    }
  });

  it("bounds the port, and names every variable that is wrong at once", () => {
    expect(() => parseConfig({ PORT: "65536" })).toThrow("PORT: must be an integer from 1 to 65535");
    expect(() => parseConfig({ PURGE_BATCH_SIZE: "0", SSE_RETRY_MS: "5" })).toThrow(
      "Invalid configuration: PURGE_BATCH_SIZE: must be an integer of at least 1; SSE_RETRY_MS: must be an integer from 100 to 600000",
    );
  });

  it("never repeats a refused value: some variables are secrets", () => {
    const refusal = (() => {
      try {
        parseConfig({ DATABASE_URL: "hunter2 at db" });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(refusal).toMatch(/^Invalid configuration: DATABASE_URL: /);
    expect(refusal).not.toContain("hunter2");
  });
});

describe("loggableConfig", () => {
  it("says whether a secret is set, never what it is, and masks the passwords of URLs", () => {
    const settings = parseConfig({
      ADMIN_TOKEN: "admin-secret-token",
      METRICS_TOKEN: "metrics-secret-token",
      DATABASE_URL: "postgres://numbox:db-password@db.internal:5432/numbox",
      REDIS_URL: "redis://:redis-password@cache:6379",
      LOG_LEVEL: "warn",
    });
    const shown = loggableConfig(settings);
    const line = JSON.stringify(shown);
    for (const secret of ["admin-secret-token", "metrics-secret-token", "db-password", "redis-password"])
      expect(line).not.toContain(secret);
    expect(shown).toMatchObject({
      ADMIN_TOKEN: "(set)",
      METRICS_TOKEN: "(set)",
      DEMO_GATEWAY_KEY: "(set)",
      DATABASE_URL: "postgres://numbox:***@db.internal:5432/numbox",
      REDIS_URL: "redis://:***@cache:6379",
      LOG_LEVEL: "warn",
      PORT: 3000,
    });
  });
});
