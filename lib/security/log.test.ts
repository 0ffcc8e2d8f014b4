import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { DrizzleQueryError } from "drizzle-orm/errors";
import { gateways } from "@/db/schema";
import { DRIVERS, type TestDatabase } from "@/lib/testing/databases";
import { describeError, describeErrorsLoggedTo } from "./log";

describe("describeError", () => {
  it("keeps the failed query and the driver's reason, drops the parameters", () => {
    const driver = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505" });
    const error = new DrizzleQueryError(
      "insert into gateways (id, secret) values ($1, $2)",
      ["modem-1", "whsec_TOPSECRET"],
      driver,
    );
    const logged = describeError(error);
    expect(logged).toContain("insert into gateways (id, secret) values ($1, $2)");
    expect(logged).toContain("duplicate key value violates unique constraint [23505]");
    expect(logged).toMatch(/^\s+at /m);
    expect(logged).not.toContain("TOPSECRET");
    expect(logged).not.toContain("modem-1");
  });

  it("follows causes, and says nothing about values that are not errors", () => {
    const logged = describeError(new Error("outer", { cause: new TypeError("inner") }));
    expect(logged).toContain("Error: outer");
    expect(logged).toContain("cause: TypeError: inner");
    expect(describeError("Bearer nbx_secret")).toBe("thrown: string");
    expect(describeError(new Error("no frames"), { stack: false })).toBe("Error: no frames");
    expect(describeError(new Error("x", { cause: { token: "nbx_secret" } }))).not.toContain("nbx_secret");
  });
});

describe.each(DRIVERS)("describeError on real query failures (%s)", (_driver, open) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(() => database?.close());

  const failure = (query: () => PromiseLike<unknown>) =>
    Promise.resolve()
      .then(query)
      .then(
        () => expect.fail("the query should have failed"),
        (error: unknown) => error,
      );

  it("a constraint violation: what and which constraint, not the value that violated it", async () => {
    const gateway = { id: "secret-param", name: "secret-name", kind: "generic" };
    await database.db.insert(gateways).values(gateway);
    const error = await failure(() => database.db.insert(gateways).values(gateway));
    const logged = describeError(error);
    expect(logged).toContain('insert into "gateways"');
    expect(logged).toContain("duplicate key value violates unique constraint");
    expect(logged).toContain("cause: PostgresError: duplicate key value violates unique constraint");
    expect(logged).toContain("[23505] (constraint gateways_pkey)");
    expect(logged).not.toContain("secret-param");
    expect(logged).not.toContain("secret-name");
  });

  it("an error logged by someone else (Next, for a page) reaches the console without its values", async () => {
    const error = await failure(() => database.db.execute(sql`select ${"secret-param"}::int`));
    const written: unknown[][] = [];
    const console = {
      error: (...args: unknown[]) => written.push(args),
      warn: (...args: unknown[]) => written.push(args),
    };
    describeErrorsLoggedTo(console);
    console.error("⨯ rendering /numbers/1 failed:", error);
    console.warn(error);
    expect(written).toHaveLength(2);
    for (const args of written) {
      const line = args.map(String).join(" ");
      expect(line).toContain("select $1::int");
      expect(line).not.toContain("secret-param");
    }
    expect(written[0]![0]).toBe("⨯ rendering /numbers/1 failed:");
  });

  it("a value the database cannot read: the type and the code, not the value", async () => {
    const error = await failure(() => database.db.execute(sql`select ${"secret-param"}::int`));
    const logged = describeError(error, { stack: false });
    expect(logged).toContain("invalid input syntax for type integer");
    expect(logged).toContain("[22P02]");
    expect(logged).not.toContain("secret-param");
  });
});
