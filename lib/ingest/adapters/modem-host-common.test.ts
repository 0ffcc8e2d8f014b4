import { describe, expect, it } from "vitest";
import { boundedKey, configNumber, isTimeZone, timeZoneSetting, wallClockToDate } from "./modem-host-common";

const at = (year: number, month: number, day: number, hour: number, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe("wall-clock times of a modem host", () => {
  it("reads them as UTC when no zone is set", () => {
    expect(wallClockToDate(at(2002, 11, 30, 2, 15, 31))?.toISOString()).toBe("2002-11-30T02:15:31.000Z");
  });

  it("reads them in a fixed offset", () => {
    expect(wallClockToDate(at(2026, 1, 2, 3, 4, 5), "+05:00")?.toISOString()).toBe("2026-01-01T22:04:05.000Z");
    expect(wallClockToDate(at(2026, 1, 2, 3, 4, 5), "-0330")?.toISOString()).toBe("2026-01-02T06:34:05.000Z");
    expect(wallClockToDate(at(2026, 1, 2, 3, 4, 5), "UTC")?.toISOString()).toBe("2026-01-02T03:04:05.000Z");
  });

  it("reads them in an IANA zone, daylight saving included", () => {
    expect(wallClockToDate(at(2026, 6, 1, 12), "Asia/Tashkent")?.toISOString()).toBe("2026-06-01T07:00:00.000Z");
    expect(wallClockToDate(at(2026, 1, 15, 12), "Europe/Berlin")?.toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect(wallClockToDate(at(2026, 7, 15, 12), "Europe/Berlin")?.toISOString()).toBe("2026-07-15T10:00:00.000Z");
    // Right after the spring-forward change (02:00 → 03:00 on 2026-03-29) and the autumn one.
    expect(wallClockToDate(at(2026, 3, 29, 3, 30), "Europe/Berlin")?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(wallClockToDate(at(2026, 10, 25, 4, 0), "Europe/Berlin")?.toISOString()).toBe("2026-10-25T03:00:00.000Z");
  });

  it("gives null for impossible dates instead of rolling them over", () => {
    expect(wallClockToDate(at(2026, 2, 31, 12))).toBeNull();
    expect(wallClockToDate(at(2026, 13, 1, 12))).toBeNull();
    expect(wallClockToDate(at(2026, 1, 1, 24))).toBeNull();
    expect(wallClockToDate(at(2026, 1, 1, 23, 60))).toBeNull();
  });
});

describe("gateway config values", () => {
  it("accepts IANA zones and offsets, nothing else", () => {
    for (const zone of ["Asia/Tashkent", "Europe/Berlin", "UTC", "+05:00", "-0330", "GMT+01:00"]) {
      expect(isTimeZone(zone), zone).toBe(true);
    }
    for (const zone of ["Mars/Olympus", "+25:00", "+05:61", "5", "local"]) expect(isTimeZone(zone), zone).toBe(false);
    expect(timeZoneSetting.safeParse("Asia/Tashkent").success).toBe(true);
    expect(timeZoneSetting.safeParse("nowhere").success).toBe(false);
  });

  it("keeps our numbers as E.164", () => {
    expect(configNumber.parse("998 90 123-45-67")).toBe("+998901234567");
    expect(configNumber.parse("+998901234567")).toBe("+998901234567");
    expect(configNumber.safeParse("0901234567").success).toBe(false);
    expect(configNumber.safeParse("GSM1").success).toBe(false);
  });
});

describe("source keys", () => {
  it("are kept up to 200 characters and hashed beyond, stably", () => {
    expect(boundedKey("modem1:IN20021130_021531_00_+45409000931640979_00.txt")).toBe(
      "modem1:IN20021130_021531_00_+45409000931640979_00.txt",
    );
    const long = `modem1:${"IN20021130_021531_00_+45409000931640979_00.txt ".repeat(8)}`;
    expect(boundedKey(long)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(boundedKey(long)).toBe(boundedKey(long));
    expect(boundedKey(long)).not.toBe(boundedKey(`${long}x`));
  });
});
