import type { PublicNumber } from "@/lib/inbox/numbers";
import { NumberCard } from "./NumberCard";

export function NumberList({
  numbers,
  now,
  showCountry,
}: {
  numbers: PublicNumber[];
  now: number;
  showCountry?: boolean;
}) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {numbers.map((number) => (
        <li key={number.number} className="grid">
          <NumberCard number={number} now={now} showCountry={showCountry} />
        </li>
      ))}
    </ul>
  );
}
