import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startServer, type TestServer } from "./servers";

/**
 * The modem-host programs the site hands out (public/gateway/), run for real as Gammu SMSD and SMS Server Tools
 * would run them, against a production server on its own embedded database: a plain message, a long one Gammu
 * joined, a UCS-2 smsd file, and an outage (the server stopped, the scripts spool, a new server on the same
 * database, --flush: each message arrives exactly once).
 */

const SCRIPTS = path.join(process.cwd(), "public/gateway");
const GAMMU_NUMBER = "+998901234501";
const SMSTOOLS_NUMBER = "+998901234502";

type Message = { id: number; number: string; from: string; text: string; code: string | null; receivedAt: string };

test("Gammu and SMSTools hosts deliver every message exactly once, through an outage", async () => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "numbox-modem-scripts-"));
  const adminToken = randomBytes(8).toString("hex");
  const env = { ADMIN_TOKEN: adminToken, PGLITE_DIR: path.join(dir, "db") };
  const spool = path.join(dir, "spool");
  const incoming = path.join(dir, "incoming");
  fs.mkdirSync(incoming);
  // What the scripts would send to syslog lands in a file.
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "logger"), `#!/bin/sh\nprintf '%s\\n' "$*" >>"${dir}/syslog"\n`, { mode: 0o755 });

  let server: TestServer | undefined;
  try {
    server = await startServer("modem-scripts", env);
    const admin = (p: string, body?: unknown) =>
      fetch(`${server!.url}/api/admin${p}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const gammuKey = (
      (await (await admin("/gateways", { id: "gammu-e2e", kind: "gammu" })).json()) as { apiKey: string }
    ).apiKey;
    const smstoolsKey = (
      (await (await admin("/gateways", { id: "smstools-e2e", kind: "smstools" })).json()) as { apiKey: string }
    ).apiKey;
    expect((await admin("/numbers", { number: GAMMU_NUMBER, gateway: "gammu-e2e" })).status).toBe(201);
    expect((await admin("/numbers", { number: SMSTOOLS_NUMBER, gateway: "smstools-e2e" })).status).toBe(201);

    const settings = (kind: "gammu" | "smstools") => ({
      NUMBOX_URL: server!.url,
      NUMBOX_GATEWAY: `${kind}-e2e`,
      NUMBOX_KEY: kind === "gammu" ? gammuKey : smstoolsKey,
      NUMBOX_SPOOL: spool, // one spool for both: each script keeps to its own entries
    });
    const run = (script: string, args: string[], extra: Record<string, string>) => {
      const child = spawn("sh", [path.join(SCRIPTS, script), ...args], {
        env: {
          NODE_ENV: "production",
          PATH: `${bin}:/usr/bin:/bin`,
          NUMBOX_CONFIG: "/nonexistent",
          NUMBOX_DAEMON: "",
          ...extra,
        },
      });
      let stderr = "";
      child.stderr.on("data", (c) => (stderr += c));
      return new Promise<{ code: number | null; stderr: string }>((resolve) =>
        child.on("close", (code) => resolve({ code, stderr })),
      );
    };
    const inbox = async (number: string) => {
      const response = await fetch(`${server!.url}/api/v1/numbers/${number.slice(1)}/messages?limit=100`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { messages: Message[] }).messages;
    };
    const spooled = (kind: string) =>
      fs.existsSync(spool) ? fs.readdirSync(spool).filter((f) => f.endsWith(`.${kind}`)) : [];
    const smsFile = (name: string, headers: string, body: Uint8Array) => {
      const file = path.join(incoming, name);
      fs.writeFileSync(file, Buffer.concat([Buffer.from(`${headers}\n`, "latin1"), body]));
      return file;
    };

    await test.step("the site hands out both scripts", async () => {
      for (const script of ["numbox-gammu.sh", "numbox-smstools.sh"]) {
        const response = await fetch(`${server!.url}/gateway/${script}`);
        expect(response.status, script).toBe(200);
        expect(await response.text()).toBe(fs.readFileSync(path.join(SCRIPTS, script), "utf8"));
      }
    });

    const plain = {
      SMS_MESSAGES: "1",
      DECODED_PARTS: "0",
      PHONE_ID: "modem1",
      SMS_1_CLASS: "-1",
      SMS_1_NUMBER: "+4915112345678",
      SMS_1_TEXT: 'Your Telegram code: 51234\nDo not give it to anyone, "really" & never.',
    };
    const plainIds = ["IN20261122_101500_00_+4915112345678_00.txt"];

    await test.step("Gammu: a plain message, then SMSD running the script again for it", async () => {
      expect(await run("numbox-gammu.sh", plainIds, { ...settings("gammu"), ...plain })).toEqual({
        code: 0,
        stderr: "",
      });
      expect(await run("numbox-gammu.sh", plainIds, { ...settings("gammu"), ...plain })).toEqual({
        code: 0,
        stderr: "",
      });
      expect(await inbox(GAMMU_NUMBER)).toMatchObject([
        { from: "+4915112345678", text: plain.SMS_1_TEXT, code: "51234", receivedAt: "2026-11-22T10:15:00.000Z" },
      ]);
    });

    await test.step("Gammu: a long message SMSD joined (two physical SMS, DECODED_PARTS=2)", async () => {
      const multipart = {
        SMS_MESSAGES: "2",
        DECODED_PARTS: "2",
        PHONE_ID: "modem1",
        SMS_1_NUMBER: "+998935556677",
        SMS_1_TEXT: "Ваш код подтверждения: 771204. Никому не сообщайте этот код, ",
        SMS_2_NUMBER: "+998935556677",
        SMS_2_TEXT: "даже сотрудникам банка 😀",
        DECODED_1_TEXT: "Ваш код подтверждения: 771204. Никому не сообщайте этот код, ",
        DECODED_2_TEXT: "даже сотрудникам банка 😀",
      };
      const ids = ["IN20261122_101600_00_+998935556677_00.txt", "IN20261122_101600_00_+998935556677_01.txt"];
      expect((await run("numbox-gammu.sh", ids, { ...settings("gammu"), ...multipart })).code).toBe(0);
      const [newest] = await inbox(GAMMU_NUMBER);
      expect(newest).toMatchObject({
        from: "+998935556677",
        text: "Ваш код подтверждения: 771204. Никому не сообщайте этот код, даже сотрудникам банка 😀",
        code: "771204",
      });
    });

    await test.step("SMSTools: a UCS-2 file and an ISO-8859-15 one; other events are left alone", async () => {
      const headers =
        "From: 998901112233\nFrom_TOA: 91 international, ISDN/telephone\nFrom_SMSC: 998901000000\n" +
        "Sent: 26-11-22 10:17:00\nReceived: 26-11-22 10:17:03\nSubject: GSM1\nModem: GSM1\nReport: no\n";
      const ucs2 = smsFile(
        "GSM1.Uc2aBc",
        `${headers}Alphabet: UCS2\nLength: 17\n`,
        Buffer.from("Код: 4821 😀 Ўзб", "utf16le").swap16(),
      );
      expect(await run("numbox-smstools.sh", ["REPORT", ucs2], settings("smstools"))).toEqual({ code: 0, stderr: "" });
      expect(await inbox(SMSTOOLS_NUMBER)).toEqual([]);
      expect(await run("numbox-smstools.sh", ["RECEIVED", ucs2], settings("smstools"))).toEqual({
        code: 0,
        stderr: "",
      });
      const iso = smsFile(
        "GSM1.Is0xyz",
        headers.replace("10:17:03", "10:18:00") + "Alphabet: ISO\nUDH: false\n",
        Uint8Array.from([...Buffer.from("Betrag: 12,50 "), 0xa4, 0x20, 0xe4]),
      );
      expect((await run("numbox-smstools.sh", ["RECEIVED", iso], settings("smstools"))).code).toBe(0);
      expect((await inbox(SMSTOOLS_NUMBER)).map((m) => [m.from, m.text, m.receivedAt])).toEqual([
        ["+998901112233", "Betrag: 12,50 € ä", "2026-11-22T10:17:00.000Z"],
        ["+998901112233", "Код: 4821 😀 Ўзб", "2026-11-22T10:17:00.000Z"],
      ]);
    });

    await test.step("an outage: the scripts spool and exit 0; after a restart, --flush delivers each message once", async () => {
      await server!.stop();
      const during = { ...plain, SMS_1_NUMBER: "Google", SMS_1_TEXT: "G-550123 is your Google verification code." };
      const duringIds = ["IN20261122_102000_00_Google_00.txt"];
      const down = await run("numbox-gammu.sh", duringIds, { ...settings("gammu"), ...during });
      expect(down.code).toBe(0);
      expect(down.stderr).toContain("waits in");
      const file = smsFile(
        "GSM1.OutAg3",
        "From: 491721234567\nSent: 26-11-22 10:21:00\nReceived: 26-11-22 10:21:02\nModem: GSM1\nAlphabet: ISO\n",
        Buffer.from("Ihr Code lautet 900417", "latin1"),
      );
      expect((await run("numbox-smstools.sh", ["RECEIVED", file], settings("smstools"))).code).toBe(0);
      expect(spooled("gammu")).toHaveLength(1);
      expect(spooled("smstools")).toHaveLength(1);
      expect(fs.readFileSync(`${dir}/syslog`, "utf8")).toContain("numbox-gammu -p user.warning");

      server = await startServer("modem-scripts-again", env);
      expect((await run("numbox-gammu.sh", ["--flush"], settings("gammu"))).code).toBe(0);
      expect((await run("numbox-smstools.sh", ["--flush"], settings("smstools"))).code).toBe(0);
      expect(spooled("gammu")).toEqual([]);
      expect(spooled("smstools")).toEqual([]);
      // Flushing again, and SMSD running the script again for the same message, change nothing.
      expect((await run("numbox-gammu.sh", ["--flush"], settings("gammu"))).code).toBe(0);
      expect((await run("numbox-gammu.sh", duringIds, { ...settings("gammu"), ...during })).code).toBe(0);

      const gammuInbox = await inbox(GAMMU_NUMBER);
      expect(gammuInbox.filter((m) => m.text === during.SMS_1_TEXT)).toMatchObject([
        { from: "Google", code: "550123" },
      ]);
      expect(gammuInbox).toHaveLength(3);
      const smstoolsInbox = await inbox(SMSTOOLS_NUMBER);
      expect(smstoolsInbox.filter((m) => m.text === "Ihr Code lautet 900417")).toMatchObject([
        { from: "+491721234567", code: "900417" },
      ]);
      expect(smstoolsInbox).toHaveLength(3);
      expect(fs.existsSync(path.join(spool, "failed"))).toBe(false);

      // --flush told the site both hosts are alive.
      const gateways = (await (await admin("/gateways")).json()) as { id: string; lastSeenAt: string | null }[];
      for (const id of ["gammu-e2e", "smstools-e2e"])
        expect(gateways.find((g) => g.id === id)?.lastSeenAt, id).not.toBeNull();
    });
  } finally {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
