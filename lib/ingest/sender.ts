/**
 * A sender as a source that writes international numbers without "+" gives it (Vonage `msisdn`, Plivo `From`,
 * Infobip `from`, Kannel `%p`): all-digit values long enough to be a full international number get their "+";
 * short codes ("32665") and alphanumeric senders ("VM-HDFCBK") stay exactly as sent.
 */
export function internationalSender(value: string): string {
  const v = value.trim();
  return /^[1-9]\d{7,14}$/.test(v) ? `+${v}` : v;
}
