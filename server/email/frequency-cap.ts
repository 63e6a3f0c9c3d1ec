// How many playbook emails one contact may get in a rolling period (MAIL_FREQUENCY_CAP, e.g. "3/7d"): several
// playbooks running at once must not bury a customer in email.

export interface FrequencyCap {
  max: number;
  periodMs: number;
  /** As configured, for the skip reason: "3 per 7d". */
  text: string;
}

/** "3/7d" → 3 per 7 days, "2/24h" → 2 per 24 hours; "off" → no cap. The config schema has checked the shape. */
export function parseFrequencyCap(value: string): FrequencyCap | undefined {
  const match = /^(\d+)\/(\d+)([hd])$/.exec(value.trim());
  if (!match) return undefined;
  const [, max, amount, unit] = match;
  const hours = Number(amount) * (unit === 'd' ? 24 : 1);
  return { max: Number(max), periodMs: hours * 3_600_000, text: `${max} per ${amount}${unit}` };
}
