import * as flags from "country-flag-icons/react/3x2";

type FlagComponent = (props: { className?: string; "aria-hidden"?: boolean }) => React.JSX.Element;
const byCountry = flags as unknown as Record<string, FlagComponent | undefined>;

/**
 * A country's flag as inline SVG. Server-only by use: importing it from a client component would ship every
 * flag to the browser. Decorative: the country name is always written next to it.
 */
export function Flag({ country, className = "h-4 w-6" }: { country: string; className?: string }) {
  const frame = `${className} shrink-0 overflow-hidden rounded-[3px] ring-1 ring-black/10 dark:ring-white/15`;
  const Svg = /^[A-Z]{2}$/.test(country) ? byCountry[country] : undefined;
  if (!Svg) {
    return (
      <span
        aria-hidden="true"
        className={`${frame} inline-flex items-center justify-center bg-zinc-200 text-[0.6rem] font-semibold text-zinc-600 dark:bg-zinc-700 dark:text-zinc-200`}
      >
        {country.slice(0, 2)}
      </span>
    );
  }
  return (
    <span className={`${frame} inline-block`}>
      <Svg aria-hidden className="block h-full w-full" />
    </span>
  );
}
