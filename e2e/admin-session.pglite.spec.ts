import { startServer, type TestServer } from "./servers";
import { test, expect } from "./fixtures";

/**
 * The admin web UI's sign-in against the admin API's lockout, on a server of its own with a budget of two wrong
 * tokens an hour (the shared servers' is opened up for the rest of the suite).
 */
const ADMIN_TOKEN = "admin-session-test-token";

test.describe("admin sign-in", () => {
  test.describe.configure({ mode: "serial" });
  let server: TestServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = await startServer("admin-session", {
      PGLITE_DIR: "memory://",
      ADMIN_TOKEN,
      ADMIN_FAILURES_PER_HOUR: "2",
    });
  });
  test.afterAll(async () => server?.stop());

  const signIn = (token: string) =>
    fetch(`${server.url}/admin/sign-in`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams({ token }).toString(),
    });
  const api = (token: string) =>
    fetch(`${server.url}/api/admin/gateways`, { headers: { Authorization: `Bearer ${token}` } });

  test("wrong tokens of the form and of the API count against one lockout, after which the right one is refused", async () => {
    const wrong = await signIn("guess-1");
    expect(wrong.status).toBe(303);
    expect(wrong.headers.get("location")).toBe("/admin?signin=wrong");
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect((await api("guess-2")).status).toBe(401);

    const locked = await signIn(ADMIN_TOKEN);
    expect(locked.status).toBe(429);
    expect(locked.headers.get("set-cookie")).toBeNull();
    expect(await locked.text()).toMatch(/more than 2 wrong admin tokens in an hour came from your address/);
    expect((await api(ADMIN_TOKEN)).status).toBe(429);
    expect((await fetch(`${server.url}/admin`)).status).toBe(429);
  });

  test("with no ADMIN_TOKEN the admin page says the admin is disabled", async () => {
    const page = await fetch(`${process.env.NUMBOX_BROKEN_URL}/admin`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("The admin is disabled");
  });
});
