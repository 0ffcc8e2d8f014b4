import type { Metadata } from "next";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { CodeBlock } from "@/components/CodeBlock";
import { EnglishDoc, englishDocMetadata } from "@/components/EnglishDoc";
import { InlineCode } from "@/components/InlineCode";
import { openApiDocument } from "@/lib/api/openapi";
import { apiReference, type ApiDocument, type ReferenceField } from "@/lib/api/reference";
import { config } from "@/lib/config";
import { isLocale } from "@/lib/i18n/locales";

type Props = { params: Promise<{ locale: string }> };

/**
 * The public API's reference, rendered on the server from the OpenAPI document the API serves (no third-party
 * viewer: the CSP allows our own scripts only, and a reference needs none). English only: components/EnglishDoc.
 */
export function generateMetadata({ params }: Props): Promise<Metadata> {
  return englishDocMetadata(params, {
    path: "/docs/api",
    title: "API for testers and AI agents",
    description: "Read the numbers and their messages, stream them, wait for a code: the OpenAPI 3.1 document and MCP.",
  });
}

const subheading = "mt-10 text-2xl font-semibold text-zinc-900 dark:text-zinc-50";
const muted = "text-zinc-600 dark:text-zinc-400";

function Fields({ fields, caption }: { fields: ReferenceField[]; caption: string }) {
  if (fields.length === 0) return null;
  return (
    <dl aria-label={caption} className="mt-3 divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
      {fields.map((f) => (
        <div key={`${f.where}-${f.name}`} className="py-2 sm:grid sm:grid-cols-[12rem_1fr] sm:gap-4">
          <dt>
            <code className="font-mono font-semibold text-zinc-900 dark:text-zinc-100">{f.name}</code>
            <span className={`ml-2 text-xs ${muted}`}>
              {[f.where, f.required ? "required" : ""].filter(Boolean).join(", ")}
            </span>
          </dt>
          <dd className={muted}>
            <span className="font-mono text-xs text-zinc-800 dark:text-zinc-200">{f.type}</span>
            {f.about && (
              <>
                {" — "}
                <InlineCode text={f.about} />
              </>
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export default async function ApiPage({ params }: Props) {
  const { locale } = await params;
  if (isLocale(locale)) setRequestLocale(locale);
  // PUBLIC_URL is the operator's runtime setting: the URLs on this page must be this server's.
  await connection();
  const t = await getTranslations("Docs");
  const publicUrl = config().PUBLIC_URL.replace(/\/+$/, "");
  const reference = apiReference(openApiDocument() as ApiDocument, publicUrl);
  const mcpConfig = JSON.stringify({ mcpServers: { numbox: { type: "http", url: `${publicUrl}/api/mcp` } } }, null, 2);

  return (
    <EnglishDoc
      locale={locale}
      notice={t("apiEnglishOnly")}
      title="API for testers and AI agents"
      lead={
        <>
          <p className={`mt-3 max-w-3xl text-lg ${muted}`}>
            <InlineCode text={reference.about} />
          </p>
          <p className={`mt-3 max-w-3xl ${muted}`}>
            The machine-readable description is the OpenAPI 3.1 document at{" "}
            <a
              href="/api/v1/openapi.json"
              className="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300"
            >
              /api/v1/openapi.json
            </a>
            : generate a client from it, or import it into your API tool. This page is made from it.
          </p>
        </>
      }
      nav={{
        label: "API sections",
        links: [...reference.groups.map((g) => g.name), "Schemas", "MCP"].map((name) => ({
          href: `#${name.toLowerCase()}`,
          text: name === "MCP" ? "MCP (AI agents)" : name,
        })),
      }}
    >
      {reference.groups.map((group) => (
        <section key={group.name} id={group.name.toLowerCase()} aria-labelledby={`${group.name}-title`}>
          <h2 id={`${group.name}-title`} className={subheading}>
            {group.name}
          </h2>
          <p className={`mt-1 ${muted}`}>{group.about}</p>
          {group.operations.map((op) => (
            // Not a landmark each: nine regions would crowd a screen reader's list (and one shares its group's name).
            <div
              key={op.id}
              id={op.id}
              className="mt-6 rounded-xl border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <h3 id={`${op.id}-title`} className="text-lg font-semibold text-zinc-900 dark:text-zinc-50">
                {op.summary}
              </h3>
              <p className="mt-1 font-mono text-sm">
                <span className="mr-2 rounded bg-indigo-100 px-1.5 py-0.5 font-semibold text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
                  {op.method}
                </span>
                <span className="text-zinc-900 dark:text-zinc-100">{op.path}</span>
              </p>
              <p className={`mt-2 text-sm ${muted}`}>
                <InlineCode text={op.about} />
              </p>
              <Fields fields={op.fields} caption={`${op.summary}: parameters`} />
              <CodeBlock caption="Example" code={op.curl} section={op.summary} />
              <h4 className="mt-4 text-sm font-semibold text-zinc-900 dark:text-zinc-100">Answers</h4>
              <ul className="mt-1 space-y-1 text-sm">
                {op.answers.map((a) => (
                  <li key={a.status} className={muted}>
                    <span className="font-mono font-semibold text-zinc-900 dark:text-zinc-100">{a.status}</span>{" "}
                    <span className="font-mono text-xs">{a.type}</span>
                    {a.about && (
                      <>
                        {" — "}
                        <InlineCode text={a.about} />
                      </>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ))}

      <section id="schemas" aria-labelledby="schemas-title">
        <h2 id="schemas-title" className={subheading}>
          Schemas
        </h2>
        {reference.schemas.map((schema) => (
          <section key={schema.name} id={`schema-${schema.name}`} className="mt-5">
            <h3 className="font-mono text-lg font-semibold text-zinc-900 dark:text-zinc-50">{schema.name}</h3>
            <Fields fields={schema.fields} caption={`${schema.name}: fields`} />
          </section>
        ))}
      </section>

      <section id="mcp" aria-labelledby="mcp-title">
        <h2 id="mcp-title" className={subheading}>
          MCP (AI agents)
        </h2>
        <p className={`mt-2 max-w-3xl ${muted}`}>
          An agent that signs up or tests can use Numbox directly through its MCP server at{" "}
          <InlineCode text={`\`${publicUrl}/api/mcp\``} /> (Streamable HTTP, no key). Its read-only tools:{" "}
          <InlineCode text="`list_countries`, `list_numbers` (country, service, health), `get_messages` (number, after, from, service, q) and `wait_for_code` (number, from, service, contains, after, timeout)." />{" "}
          They are limited per address like the API.
        </p>
        <CodeBlock caption="Client configuration" code={mcpConfig} section="MCP" />
      </section>
    </EnglishDoc>
  );
}
