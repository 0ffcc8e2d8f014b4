import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Flag } from "@/components/Flag";
import { NumberList } from "@/components/NumberList";
import { requestTime } from "@/components/requestTime";
import { getDb } from "@/lib/server/database";
import { listNumbers } from "@/lib/inbox/numbers";
import { countryName } from "@/lib/text/phone";

type Props = { params: Promise<{ code: string }> };

// Country URLs are lower case only (/countries/uz), so each country has exactly one address.
const COUNTRY_PATH = /^[a-z]{2}$/;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  if (!COUNTRY_PATH.test(code)) return {};
  const name = countryName(code.toUpperCase());
  return {
    title: `${name} numbers`,
    description: `Free public ${name} phone numbers for receiving SMS and verification codes online.`,
  };
}

export default async function CountryPage({ params }: Props) {
  const { code } = await params;
  if (!COUNTRY_PATH.test(code)) notFound();
  await connection();
  const country = code.toUpperCase();
  const numbers = await listNumbers(await getDb(), { country });
  if (numbers.length === 0) notFound();
  const name = countryName(country);
  const now = requestTime();
  // "Online" counts numbers whose host is reachable, quiet ones included: they can still receive.
  const online = numbers.filter((n) => n.health === "active" || n.health === "quiet").length;

  return (
    <>
      <header className="flex items-center gap-3 sm:gap-4">
        <Flag country={country} className="h-8 w-12 sm:h-12 sm:w-[4.5rem]" />
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-50">
            {name} phone numbers
          </h1>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">
            {numbers.length === 1 ? "1 number" : `${numbers.length} numbers`} · {online} online
          </p>
        </div>
      </header>
      <div className="mt-8">
        <NumberList numbers={numbers} now={now} showCountry={false} />
      </div>
    </>
  );
}
