import { parse, protocol, types, type messages, type PGlite, type Results } from "@electric-sql/pglite";

/*
 * Named prepared statements on the embedded database. PGlite's own `query()` sends every statement as an unnamed
 * one, in six calls into its WebAssembly (Parse, Describe, Bind, Describe, Execute, Sync): Postgres parses and
 * plans it each time, and planning alone was about half of what the store of one message cost there. A statement
 * prepared once under a name is parsed once, planned from a cached plan (a generic one after the first runs,
 * as on any Postgres), and each run is one call: Bind, Execute and Sync in one buffer.
 *
 * Written against PGlite's public protocol helpers (its serializer, message parser and result parser), not a
 * library: drizzle's PGlite driver has no named statements, and PGlite offers them only through this protocol.
 */

type Prepared = {
  name: string;
  // The statement's parameter types, to serialise values as PGlite's query() would, and its result's columns.
  paramTypes: number[];
  description: messages.RowDescriptionMessage | null;
};

// Per database: PGlite is one session, and a statement prepared on it lasts until it closes.
const preparedBy = new WeakMap<PGlite, Map<string, Prepared>>();

// As drizzle's PGlite driver reads raw results: times stay the text Postgres sent.
const rawParsers = {
  [types.TIMESTAMP]: (value: string) => value,
  [types.TIMESTAMPTZ]: (value: string) => value,
  [types.INTERVAL]: (value: string) => value,
  [types.DATE]: (value: string) => value,
};

/**
 * Runs `text` as a named prepared statement with `params`: what `client.query(text, params)` answers, in rows of
 * objects. Only for statements whose text is the same every time (one name each, kept for the session's life).
 * It takes the same locks as `client.query`, so it never runs inside another caller's transaction: not for use
 * within a transaction of this database.
 */
export function queryPrepared(client: PGlite, text: string, params: readonly unknown[]): Promise<Results> {
  return client._runExclusiveTransaction(() =>
    client._runExclusiveQuery(async () => {
      const statement = await prepare(client, text);
      const values = params.map((value, i) => serialize(client, value, statement.paramTypes[i]));
      const ran = await client.execProtocol(
        concat([
          protocol.serialize.bind({ statement: statement.name, values }),
          protocol.serialize.execute({}),
          protocol.serialize.sync(),
        ]),
      );
      const rows = statement.description ? [statement.description, ...ran.messages] : ran.messages;
      return parse.parseResults(rows, client.parsers, { rowMode: "object", parsers: rawParsers })[0]!;
    }),
  );
}

async function prepare(client: PGlite, text: string): Promise<Prepared> {
  let statements = preparedBy.get(client);
  if (!statements) preparedBy.set(client, (statements = new Map()));
  const known = statements.get(text);
  if (known) return known;
  const name = `numbox_${statements.size + 1}`;
  const described = await client.execProtocol(
    concat([
      protocol.serialize.parse({ name, text }),
      protocol.serialize.describe({ type: "S", name }),
      protocol.serialize.sync(),
    ]),
  );
  const prepared: Prepared = {
    name,
    paramTypes: parse.parseDescribeStatementResults(described.messages),
    description:
      (described.messages.find((m) => m.name === "rowDescription") as messages.RowDescriptionMessage | undefined) ??
      null,
  };
  statements.set(text, prepared);
  return prepared;
}

/** A parameter as PGlite's query() sends it: text, by the serializer for its type where there is one. */
function serialize(client: PGlite, value: unknown, type: number | undefined): string | null {
  if (value === null || value === undefined) return null;
  const serializer = type === undefined ? undefined : client.serializers[type];
  return serializer ? serializer(value) : String(value);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
