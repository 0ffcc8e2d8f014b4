import { describe, expect, it } from "vitest";
import { addressKey } from "./address-key";

describe("addressKey", () => {
  it("keys an IPv4 client by its address", () => {
    expect(addressKey("198.51.100.7")).toBe("198.51.100.7");
    expect(addressKey("198.51.100.8")).not.toBe(addressKey("198.51.100.7"));
  });

  it("keys every address of one IPv6 /64 the same, whatever the spelling", () => {
    const key = addressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    for (const same of [
      "2001:db8:1:2:ffff:ffff:ffff:ffff",
      "2001:0DB8:0001:0002:0000:0000:0000:0099",
      "2001:db8:1:2:aaaa::",
      "2001:db8:1:2:0:0:192.0.2.1",
      "2001:db8:1:2::1%eth0",
    ]) {
      expect(addressKey(same), same).toBe(key);
    }
  });

  it("gives neighbouring /64s their own keys", () => {
    expect(addressKey("2001:db8:1:3::1")).toBe("2001:db8:1:3::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("64:ff9b::192.0.2.1")).toBe("64:ff9b:0:0::/64");
  });

  it("puts requests with no known address in one shared budget", () => {
    expect(addressKey(null)).toBe("unknown");
    expect(addressKey("not-an-ip")).toBe("unknown");
  });
});
