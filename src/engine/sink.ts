import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import type { CustomAttributeTyper } from '../transform/custom-attributes.js';
import type { Projector } from '../transform/project.js';
import { applyTimestampPlan, type TimestampPlan } from '../transform/timestamps.js';

/** Where one stream's records go: custom attributes typed, timestamps formatted, fields selected, written. */
export class StreamSink {
  constructor(
    readonly stream: string,
    private readonly output: Output,
    private readonly project: Projector,
    private readonly typer: CustomAttributeTyper | null,
    /** Set for `timestamp_format: iso8601`. */
    private readonly timestamps: TimestampPlan | null = null,
  ) {}

  write(record: JsonObject): void {
    const typed = this.typer ? this.typer.apply(record) : record;
    if (this.timestamps) applyTimestampPlan(typed, this.timestamps);
    this.output.record(this.stream, this.project(typed));
  }
}
