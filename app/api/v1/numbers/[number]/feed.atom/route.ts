import { methodsNotAllowed } from "@/lib/http";
import { numberFeedRoute } from "@/lib/feeds/number-feed";

export const GET = numberFeedRoute("atom");
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
