import { randomBytes } from "node:crypto";
import { ownDatabase, startServer } from "./servers";
import { Numbox, test, expect } from "./fixtures";

test("a wait without timeout lasts no longer than WAIT_MAX_SECONDS when that is below the 30 s default", async ({}, testInfo) => {
  test.setTimeout(150_000);
  const driver = testInfo.project.metadata.server as "pglite" | "postgres";
  const database = await ownDatabase(driver);
  const adminToken = randomBytes(16).toString("hex");
  const server = await startServer(`wait-limit-${driver}`, {
    ...database.env,
    ADMIN_TOKEN: adminToken,
    WAIT_MAX_SECONDS: "1",
  });
  try {
    const numbox = new Numbox(server.url, adminToken);
    const { digits } = await numbox.gatewayWithNumber();

    // Nothing arrives: the wait ends empty. The deadline is generous for a 1 s wait on a busy machine, and still
    // shorter than the 30 s a wait without timeout used to hold regardless of WAIT_MAX_SECONDS.
    const response = await fetch(`${server.url}/api/v1/numbers/${digits}/wait`, {
      signal: AbortSignal.timeout(25_000),
    });
    expect(response.status).toBe(204);
    // Asking for more than the operator allows is still the client's mistake.
    const tooLong = await numbox.get(`/api/v1/numbers/${digits}/wait?timeout=2`);
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ error: "invalid_parameter" });
  } finally {
    await server.stop();
    await database.drop();
  }
});
