import { createNavigation } from "next-intl/navigation";
import { routing } from "./routing";

/** Next's Link and pathname hooks that know the locale: a Link to "/numbers/1" on a Russian page goes to /ru/numbers/1. */
export const { Link, usePathname, getPathname } = createNavigation(routing);
