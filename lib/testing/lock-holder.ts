/**
 * Run by db/lock.test.ts as a separate process: takes the PGlite directory lock on argv[2], says so, and stays
 * alive until killed. `node --import tsx lib/testing/lock-holder.ts <dir>`
 */
import { lockDirectory } from "@/db/lock";

const dir = process.argv[2];
if (!dir) throw new Error("usage: lock-holder.ts <pglite dir>");
lockDirectory(dir);
process.stdout.write("locked\n");
setInterval(() => {}, 60_000);
