import type { Adapter } from "../adapter";
import type { GatewayKind } from "../kinds";
import { generic } from "./generic";

/** Every source kind's adapter. A kind missing here cannot be created through the admin API. */
export const ADAPTERS: Partial<Record<GatewayKind, Adapter>> = {
  generic,
};

export function adapterFor(kind: string): Adapter | undefined {
  return ADAPTERS[kind as GatewayKind];
}
