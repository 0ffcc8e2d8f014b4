import { errorResponse } from "@/lib/http";

// Any /api/ path no route claims: a JSON 404 like every other API error, not the HTML "Nothing here" page
// (a script reading the body as JSON should learn that the path is wrong, not fail to parse).
const notFound = async () => errorResponse("not_found", "No such API endpoint: see the README for the API.");

export { notFound as GET, notFound as HEAD, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
