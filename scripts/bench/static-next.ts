/**
 * The yardstick of the HTTP cases: a minimal Next app of the same `next` version as Numbox, with one static page
 * about the size of Numbox's inbox page, served by `next start`. That is what Next serves at best on this
 * machine; a page of ours is reported as a fraction of it, measured in the same rounds. The same app has a no-op
 * JSON POST route, `/api/noop`, the yardstick of ingest POSTs.
 *
 * Written into a temporary directory, never into the project (whose tsc, eslint, vitest and `next build` would
 * pick a second app up), with the project's node_modules linked in so the version is the same.
 */
import fs from "node:fs";
import path from "node:path";
import { SAMPLES, fillSample } from "../../lib/demo/samples";
import { freePort, run, startServer, tempDir, type Server } from "./processes";

// Messages on the page: tuned so the HTML is about the size of Numbox's inbox page before the page work of
// issue 8 (~90 KiB uncompressed); it is fixed, so that the yardstick stays the same from one run to the next.
const MESSAGES = 135;

export const NEXT_VERSION: string = JSON.parse(
  fs.readFileSync(path.join(process.cwd(), "node_modules/next/package.json"), "utf8"),
).version;

/** Builds the app and starts it; stopped at cleanup. */
export async function startStaticNext(): Promise<Server> {
  const root = process.cwd();
  const dir = tempDir("static-next");
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true }));
  // Turbopack reads only files under its root, and node_modules is a link out of this directory: the root is
  // where both are.
  fs.writeFileSync(
    path.join(dir, "next.config.mjs"),
    `export default ${JSON.stringify({ poweredByHeader: false, turbopack: { root: commonAncestor(dir, root) } })};\n`,
  );
  fs.mkdirSync(path.join(dir, "app"));
  // Plain JavaScript: no TypeScript set-up for `next build` to check or write.
  fs.writeFileSync(
    path.join(dir, "app/layout.js"),
    `export const metadata = { title: "A static page" };
export default function RootLayout({ children }) {
  return <html lang="en"><body>{children}</body></html>;
}
`,
  );
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    ...fillSample(SAMPLES[i % SAMPLES.length]!),
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  }));
  fs.writeFileSync(
    path.join(dir, "app/page.js"),
    `// No request data is read here: Next prerenders the page at build time and serves the stored HTML.
const MESSAGES = ${JSON.stringify(messages)};
export default function Page() {
  return (
    <main>
      <h1>+998 90 100 00 00</h1>
      <ol>
        {MESSAGES.map((m, i) => (
          <li key={i}>
            <article>
              <header><strong>{m.from}</strong> <time dateTime={m.at}>{m.at}</time></header>
              <p>{m.text}</p>
            </article>
          </li>
        ))}
      </ol>
    </main>
  );
}
`,
  );
  // The yardstick of the ingest case: a POST route that reads its JSON body and answers, storing nothing.
  fs.mkdirSync(path.join(dir, "app/api/noop"), { recursive: true });
  fs.writeFileSync(
    path.join(dir, "app/api/noop/route.js"),
    `export async function POST(request) {
  await request.json();
  return Response.json({ ok: true });
}
`,
  );
  const next = path.join(root, "node_modules/next/dist/bin/next");
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
  console.error(`building a minimal Next ${NEXT_VERSION} app in ${dir}`);
  await run(process.execPath, [next, "build"], { cwd: dir, env });
  const port = await freePort();
  return startServer("the static Next app", process.execPath, [next, "start", "-p", String(port)], {
    cwd: dir,
    env,
    port,
    readyPath: "/",
  });
}

function commonAncestor(a: string, b: string): string {
  const [x, y] = [path.resolve(a).split(path.sep), path.resolve(b).split(path.sep)];
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return x.slice(0, i).join(path.sep) || path.sep;
}
