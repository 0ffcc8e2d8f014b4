import { notFound } from "next/navigation";

/** Any path a language has no page for: its own 404, in that language, inside the site's layout. */
export default function UnknownPage() {
  notFound();
}
