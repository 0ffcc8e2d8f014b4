/** The Numbox mark: a message bubble on an indigo tile (the same drawing as app/icon.svg). */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden="true" className={className}>
      <rect width="32" height="32" rx="8" className="fill-indigo-600 dark:fill-indigo-500" />
      <path
        d="M8 11a3 3 0 0 1 3-3h10a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3h-6.2l-4.3 3.4c-.66.52-1.5.05-1.5-.78V21.5A3 3 0 0 1 8 18.6z"
        fill="#fff"
      />
      <circle cx="12.5" cy="14.5" r="1.4" className="fill-indigo-600 dark:fill-indigo-500" />
      <circle cx="16" cy="14.5" r="1.4" className="fill-indigo-600 dark:fill-indigo-500" />
      <circle cx="19.5" cy="14.5" r="1.4" className="fill-indigo-600 dark:fill-indigo-500" />
    </svg>
  );
}
