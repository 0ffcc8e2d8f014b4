import type { Adapter } from "../adapter";
import type { GatewayKind } from "../kinds";
import { generic } from "./generic";
import { androidSmsGateway } from "./android-sms-gateway";
import { infobip } from "./infobip";
import { incomingSmsToUrl } from "./incoming-sms-to-url";
import { smsforwarder } from "./smsforwarder";
import { smsgateway24 } from "./smsgateway24";
import { telnyx } from "./telnyx";
import { bird } from "./bird";
import { messagebird } from "./messagebird";
import { vonageMessages } from "./vonage-messages";
import { vonageSms } from "./vonage-sms";
import { twilio } from "./twilio";
import { plivo } from "./plivo";
import { sinch } from "./sinch";
import { kannel } from "./kannel";
import { jasmin } from "./jasmin";
import { gammu } from "./gammu";
import { smstools } from "./smstools";

/** Every source kind's adapter. A kind missing here cannot be created through the admin API. */
export const ADAPTERS: Partial<Record<GatewayKind, Adapter>> = {
  generic,
  twilio,
  plivo,
  sinch,
  telnyx,
  infobip,
  "android-sms-gateway": androidSmsGateway,
  "sms-forwarder": incomingSmsToUrl,
  smsforwarder,
  smsgateway24,
  "vonage-sms": vonageSms,
  "vonage-messages": vonageMessages,
  messagebird,
  bird,
  kannel,
  jasmin,
  gammu,
  smstools,
};

export function adapterFor(kind: string): Adapter | undefined {
  return ADAPTERS[kind as GatewayKind];
}
