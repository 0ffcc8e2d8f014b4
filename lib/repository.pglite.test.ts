import { pgliteMemory } from "@/db/test-databases";
import { repositorySuite } from "./repository.suite";

repositorySuite("PGlite", pgliteMemory);
