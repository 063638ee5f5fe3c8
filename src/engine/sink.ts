import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import type { CustomAttributeTyper } from '../transform/custom-attributes.js';
import type { Projector } from '../transform/project.js';

/** Where one stream's records go: custom attributes typed, fields selected, written. */
export class StreamSink {
  constructor(
    readonly stream: string,
    private readonly output: Output,
    private readonly project: Projector,
    private readonly typer: CustomAttributeTyper | null,
    /** Fits values to the declared schema where nothing is lost (transform/conform.ts). */
    private readonly conform: (record: JsonObject) => JsonObject = (record) => record,
  ) {}

  write(record: JsonObject): void {
    const fitted = this.conform(record);
    const typed = this.typer ? this.typer.apply(fitted) : fitted;
    this.output.record(this.stream, this.project(typed));
  }
}
