import { describe, expect, it } from "vitest";
import { refusal } from "@/lib/testing/refusal";
import { checkedQuery } from "./query";

describe("checkedQuery", () => {
  const takes = ["limit", "from"];

  it("passes the parameters a route takes, each once, and no parameters at all", () => {
    const query = checkedQuery(new URLSearchParams("limit=5&from=Google"), takes);
    expect(query.get("from")).toBe("Google");
    expect(checkedQuery(new URLSearchParams(""), []).size).toBe(0);
  });

  it("refuses a parameter the route does not take, naming it and those it takes", () => {
    expect(refusal(() => checkedQuery(new URLSearchParams("limit=5&form=Google"), takes))).toEqual({
      status: 400,
      code: "unknown_parameter",
      detail: "This endpoint does not take the parameter 'form'. It takes 'limit', 'from'.",
    });
    expect(refusal(() => checkedQuery(new URLSearchParams("x=1"), []))?.detail).toMatch(/'x'. It takes none\.$/);
    // Names are compared exactly: a parameter's name is not its value.
    expect(refusal(() => checkedQuery(new URLSearchParams("LIMIT=5"), takes))?.code).toBe("unknown_parameter");
    expect(refusal(() => checkedQuery(new URLSearchParams("limit"), []))?.code).toBe("unknown_parameter");
  });

  it("quotes a name with control characters escaped and cut short", () => {
    const detail = refusal(() => checkedQuery(new URLSearchParams(`a%00b${"c".repeat(100)}=1`), takes))!.detail;
    expect(detail).toContain("'a\\u0000bccc");
    expect(detail).not.toContain("\0");
    expect(detail).toContain("…'");
  });

  it("refuses a parameter given twice, even with the same value", () => {
    expect(refusal(() => checkedQuery(new URLSearchParams("from=a&from=a"), takes))).toMatchObject({
      status: 400,
      code: "ambiguous_parameter",
    });
  });
});
