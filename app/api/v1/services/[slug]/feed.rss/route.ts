import { methodsNotAllowed } from "@/lib/http";
import { serviceFeedRoute } from "@/lib/feeds/service-feed-route";

export const GET = serviceFeedRoute("rss");
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
