import { limiterFor, spendOrRefuse } from "./budget";

/**
 * Counts one request against the gateway's budget (`perMinute`), or throws 429 rate_limited with Retry-After.
 * In memory: each instance keeps its own budget. A gateway posts from few addresses to one instance at a time,
 * and INGEST_RATE_PER_MINUTE is documented as per instance.
 */
export async function consumeGatewayBudget(gatewayId: string, perMinute: number): Promise<void> {
  await spendOrRefuse(
    limiterFor({ name: "gateway", points: perMinute, seconds: 60 }, undefined),
    gatewayId,
    (seconds) => `Gateway '${gatewayId}' sent more than ${perMinute} requests a minute; retry in ${seconds} s.`,
  );
}
