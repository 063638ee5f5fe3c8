import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import type { CustomAttributeTyper } from '../transform/custom-attributes.js';
import type { HashPlan } from '../transform/hashing.js';
import type { Projector } from '../transform/project.js';
import { withIsoTimestamps, type TimestampPlan } from '../transform/timestamps.js';

/**
 * Where one stream's records go: custom attributes typed, values conformed to
 * their declared types, timestamps formatted, hashed fields hashed, fields
 * selected, written. Hashing comes after typing and formatting, so a hashed
 * value is hashed as the catalog would show it, and before selection and
 * serialisation, so no original value is written.
 */
export class StreamSink {
  constructor(
    readonly stream: string,
    private readonly output: Output,
    private readonly project: Projector,
    private readonly typer: CustomAttributeTyper | null,
    /** Fits values to the declared schema where nothing is lost (transform/conform.ts). */
    private readonly conform: (record: JsonObject) => JsonObject = (record) => record,
    /** Set for `timestamp_format: iso8601`. */
    private readonly timestamps: TimestampPlan | null = null,
    private readonly hashing: HashPlan | null = null,
  ) {}

  write(record: JsonObject): void {
    const fitted = this.conform(record);
    const typed = this.typer ? this.typer.apply(fitted) : fitted;
    const formatted = this.timestamps ? withIsoTimestamps(typed, this.timestamps) : typed;
    this.output.record(this.stream, this.project(this.hashing ? this.hashing.apply(formatted) : formatted));
  }
}
