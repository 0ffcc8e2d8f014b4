"use server";

import { revalidatePath } from "next/cache";
import { GatewayGuide } from "@/components/GatewayGuide";
import { refusedBecause, type ActionResult } from "@/lib/admin/action-result";
import { createGateway, rotateGateway, updateGateway } from "@/lib/admin/gateways";
import { announceAdminEdit } from "@/lib/admin/handler";
import { hideAndAnnounce } from "@/lib/admin/hide";
import { createNumber, updateNumber } from "@/lib/admin/numbers";
import { config } from "@/lib/config";
import { adapterFor } from "@/lib/ingest/adapters";
import { requireIdParam } from "@/lib/moderation/messages";
import { createRedaction, deleteRedaction } from "@/lib/moderation/redactions";
import { policyFrom, purge } from "@/lib/retention/purge";
import { getDb } from "@/lib/server/database";
import { requireSignedIn } from "./session";

/*
 * The admin screens' edits. Each calls the function its admin API route calls (lib/admin, lib/moderation), with
 * the same checks and the same refusals, then announces the edit as the API does (no cached page keeps the old
 * state) and re-renders the admin pages. proxy.ts has checked the request's Origin before any of this runs.
 */

type Result = ActionResult<React.ReactNode>;

async function edit(work: () => Promise<Result>): Promise<Result> {
  // Outside the try: a browser that is not signed in is sent to the sign-in page, not told a reason.
  await requireSignedIn();
  let result: Result;
  try {
    result = await work();
  } catch (error) {
    return refusedBecause(error);
  }
  await announceAdminEdit();
  revalidatePath("/admin", "layout");
  return result;
}

/** A form field as the API's JSON would have it: absent when left empty. */
function field(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function integer(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\d{1,3}$/.test(value) ? Number(value) : value;
}

export async function addGateway(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const input = {
      id: field(form, "id"),
      name: field(form, "name"),
      kind: field(form, "kind"),
      secret: field(form, "secret"),
    };
    const created = await createGateway(await getDb(), input);
    const adapter = adapterFor(created.kind)!;
    const publicUrl = config().PUBLIC_URL.replace(/\/+$/, "");
    return {
      ok: true,
      message: `Gateway ${created.id} is created. Its API key is shown only now: copy it into the source.`,
      secrets: [
        { label: "API key", value: created.apiKey },
        { label: "URL to paste", value: `${publicUrl}/api/inbound/${created.id}${adapter.setup.urlSuffix ?? ""}` },
      ],
      detail: <GatewayGuide adapter={adapter} publicUrl={publicUrl} gatewayId={created.id} created />,
    };
  });
}

export async function rotateKey(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const id = field(form, "id") ?? "";
    const secret = field(form, "secret");
    const rotated = await rotateGateway(await getDb(), id, secret ? { secret } : { apiKey: true });
    if (!rotated.apiKey)
      return {
        ok: true,
        message: `${id} signs with the new secret now; the previous one still works until the next rotation.`,
      };
    return {
      ok: true,
      message: `${id} has a new API key, shown only now. The previous key still works until the next rotation.`,
      secrets: [{ label: "New API key", value: rotated.apiKey }],
    };
  });
}

export async function editGatewayConfig(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const id = field(form, "id") ?? "";
    const text = field(form, "config") ?? "{}";
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch {
      return { ok: false, message: "The config is not valid JSON." };
    }
    await updateGateway(await getDb(), id, { config });
    return { ok: true, message: `${id} works with the new config from now on.` };
  });
}

export async function addNumber(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const input = {
      number: field(form, "number"),
      gateway: field(form, "gateway"),
      country: field(form, "country"),
      sim: integer(field(form, "sim")),
    };
    const row = await createNumber(await getDb(), input);
    return { ok: true, message: `${row.number} is added to ${row.gatewayId}.` };
  });
}

export async function changeNumberStatus(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const number = field(form, "number") ?? "";
    const row = await updateNumber(await getDb(), number, { status: field(form, "status") });
    return { ok: true, message: `${row.number} is ${row.status} now.` };
  });
}

export async function changeNumberSim(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const number = field(form, "number") ?? "";
    const slot = field(form, "sim");
    const row = await updateNumber(await getDb(), number, { sim: slot === undefined ? null : integer(slot) });
    return {
      ok: true,
      message: `${row.number} is ${row.sim === null ? "its gateway's only number" : `in SIM slot ${row.sim}`} now.`,
    };
  });
}

export async function hide(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const id = requireIdParam(field(form, "id") ?? "", "message");
    const hidden = await hideAndAnnounce(await getDb(), id);
    return { ok: true, message: `Message ${hidden.id} is hidden from ${hidden.number}'s public pages.` };
  });
}

export async function addRedaction(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    // The replacement is kept as typed (spaces and all); only an empty one means "the default".
    const replacement = form.get("replacement");
    const input = {
      sender: field(form, "sender"),
      pattern: field(form, "pattern"),
      replacement: typeof replacement === "string" && replacement !== "" ? replacement : undefined,
    };
    const rule = await createRedaction(await getDb(), input);
    return { ok: true, message: `Rule ${rule.id} applies to messages stored from now on.` };
  });
}

export async function removeRedaction(_: Result | null, form: FormData): Promise<Result> {
  return edit(async () => {
    const id = requireIdParam(field(form, "id") ?? "", "redaction");
    await deleteRedaction(await getDb(), id);
    return { ok: true, message: `Rule ${id} is removed.` };
  });
}

export async function purgeNow(): Promise<Result> {
  return edit(async () => {
    const done = await purge(await getDb(), policyFrom(config()));
    return {
      ok: true,
      message:
        `Purged: ${done.expired} expired messages, ${done.overCap} over a number's cap, ${done.retired} of retired ` +
        `numbers, ${done.parts} message parts, ${done.quarantine} quarantined requests, ${done.reports} reports.`,
    };
  });
}
