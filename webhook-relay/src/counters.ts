export const REJECTION_REASONS = [
  'bad_signature',
  'malformed_json',
  'not_envelope',
  'too_large',
  'timeout',
  'bad_request',
  'method_not_allowed',
  'not_found',
  'unauthorized',
  'unavailable',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** What the relay has seen since it started, for the stderr counters line and /healthz. */
export class Counters {
  received = 0;
  stored = 0;
  duplicate = 0;
  reads = 0;
  readonly rejected: Record<RejectionReason, number> = Object.fromEntries(REJECTION_REASONS.map((r) => [r, 0])) as Record<
    RejectionReason,
    number
  >;

  reject(reason: RejectionReason): void {
    this.rejected[reason] += 1;
  }

  /** One line of key=value pairs, stable for scripts. */
  line(): string {
    const rejected = REJECTION_REASONS.map((r) => `rejected_${r}=${this.rejected[r]}`).join(' ');
    return `counters received=${this.received} stored=${this.stored} duplicate=${this.duplicate} reads=${this.reads} ${rejected}`;
  }

  toJSON(): Record<string, unknown> {
    return { received: this.received, stored: this.stored, duplicate: this.duplicate, reads: this.reads, rejected: { ...this.rejected } };
  }
}
