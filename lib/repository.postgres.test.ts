import { freshPostgres } from "@/db/test-databases";
import { repositorySuite } from "./repository.suite";

// Needs a Postgres server (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres); fails, never
// skips, when there is none.
repositorySuite("Postgres", freshPostgres);
