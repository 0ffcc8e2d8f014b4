import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Inbox } from "@/components/Inbox";
import { PAGE_SIZE } from "@/components/messagesApi";
import { NumberHeader } from "@/components/NumberHeader";
import { ReportProblem } from "@/components/ReportProblem";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { config } from "@/lib/config";
import { alternates } from "@/lib/i18n/alternates";
import { isLocale } from "@/lib/i18n/locales";
import { listMessages } from "@/lib/inbox/messages";
import { getNumber } from "@/lib/inbox/numbers";
import { parseNumberParam } from "@/lib/inbox/params";
import { formatInternational } from "@/lib/text/phone";

type Props = { params: Promise<{ locale: string; number: string }> };

// The URL holds the digits (/numbers/998940373339); a pasted "+998…" or "%2B998…" is accepted too. Parsed like
// the API's {number}, not re-validated: a number we hold stays reachable whatever the phone metadata says later.
const numberFromPath = parseNumberParam;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { locale, number } = await params;
  const e164 = numberFromPath(number);
  if (!e164 || !isLocale(locale)) return {};
  const t = await getTranslations({ locale, namespace: "Number" });
  const formatted = formatInternational(e164);
  return {
    title: t("metaTitle", { number: formatted }),
    description: t("metaDescription", { number: formatted }),
    alternates: alternates(locale, `/numbers/${e164.slice(1)}`),
  };
}

export default async function NumberPage({ params }: Props) {
  const { locale, number: param } = await params;
  const e164 = numberFromPath(param);
  if (!e164 || !isLocale(locale)) notFound();
  setRequestLocale(locale);
  await connection();
  const db = await getDb();
  const number = await getNumber(db, e164);
  if (!number) notFound();
  const firstPage = await listMessages(db, number.number, { limit: PAGE_SIZE });
  const now = requestTime();

  return (
    <div className="mx-auto max-w-3xl">
      <NumberHeader number={number} now={now} retentionDays={config().RETENTION_DAYS} />
      {/* Keyed by number, so that moving to another number's inbox starts both afresh; siblings, so named apart. */}
      {number.status !== "retired" && <ReportProblem key={`report ${number.number}`} digits={number.digits} />}
      <Inbox
        key={`inbox ${number.number}`}
        number={number.number}
        digits={number.digits}
        hostOnline={number.health !== "offline"}
        firstPage={firstPage}
        renderedAt={now}
      />
    </div>
  );
}
