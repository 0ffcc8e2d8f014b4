import type { Adapter } from "@/lib/ingest/adapter";
import { CodeBlock } from "./CodeBlock";
import { InlineCode } from "./InlineCode";

/**
 * One source kind's setup guide, rendered from the adapter's own `setup` (the same object the code lives in),
 * so the page cannot drift from what the ingestion route accepts. Placeholders in the adapter's text:
 * {webhookUrl}, {publicUrl}, {gatewayId}.
 */
export function GatewayGuide({
  adapter,
  publicUrl,
  gatewayId = exampleGatewayId(adapter.kind),
  created = false,
}: {
  adapter: Adapter;
  publicUrl: string;
  /** The gateway's own id where it exists (the admin UI, just after creating it); an example id otherwise. */
  gatewayId?: string;
  /** The gateway was just created in the admin UI: step 1 is done, and its number is added there. */
  created?: boolean;
}) {
  const { kind, setup } = adapter;
  const webhookUrl = `${publicUrl}/api/inbound/${gatewayId}${setup.urlSuffix ?? ""}`;
  const fill = (text: string) =>
    text
      .replaceAll("{webhookUrl}", webhookUrl)
      .replaceAll("{publicUrl}", publicUrl)
      .replaceAll("{gatewayId}", gatewayId);
  const secretFlag = setup.secret ? ` --secret '<${setup.secret}>'` : "";
  const admin = `npm run admin -- gateway add ${gatewayId} --kind ${kind}${secretFlag}\nnpm run admin -- number add <your number, E.164> --gateway ${gatewayId}`;

  return (
    <section
      id={kind}
      aria-labelledby={`${kind}-title`}
      className="scroll-mt-8 border-t border-zinc-200 py-10 dark:border-zinc-800"
    >
      <h2 id={`${kind}-title`} className="text-xl font-semibold text-zinc-900 dark:text-zinc-50">
        {setup.title}{" "}
        <span className="ms-1 align-middle font-mono text-sm font-normal text-zinc-500 dark:text-zinc-400">{kind}</span>
      </h2>
      <p className="mt-2 max-w-3xl text-zinc-600 dark:text-zinc-400">
        <InlineCode text={fill(setup.summary)} />
      </p>

      {created ? (
        <p className="mt-4 text-sm text-zinc-700 dark:text-zinc-300">
          1. The gateway is created (its API key is above); add its number on the Numbers screen.
        </p>
      ) : (
        <CodeBlock
          section={setup.title}
          caption="1. Create the gateway and its number (prints the API key once)"
          code={admin}
        />
      )}
      {setup.secret && (
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          <span className="font-medium text-zinc-800 dark:text-zinc-200">Secret:</span>{" "}
          <InlineCode text={fill(setup.secret)} />
        </p>
      )}
      <CodeBlock section={setup.title} caption="2. The webhook URL to paste" code={webhookUrl} />

      <h3 className="mt-6 text-sm font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        3. Configure the source
      </h3>
      <ol className="mt-2 list-decimal space-y-1.5 ps-6 text-zinc-700 marker:text-zinc-400 dark:text-zinc-300">
        {setup.steps.map((step, i) => (
          <li key={i}>
            <InlineCode text={fill(step)} />
          </li>
        ))}
      </ol>
      {setup.snippets?.map((snippet, i) => (
        <CodeBlock key={i} section={setup.title} caption={snippet.caption} code={fill(snippet.code)} />
      ))}
    </section>
  );
}

/** "twilio" → "twilio-1": a readable gateway id for the examples. */
export function exampleGatewayId(kind: string): string {
  return `${kind}-1`;
}
