import { methodsNotAllowed } from "@/lib/http";
import { serviceFeedRoute } from "@/lib/feeds/service-feed-route";

export const GET = serviceFeedRoute("json");
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET, HEAD");
