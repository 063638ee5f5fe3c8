import type { Output } from '../protocol/output.js';
import type { JsonObject } from '../protocol/types.js';
import type { CustomAttributeTyper } from '../transform/custom-attributes.js';
import type { HashPlan } from '../transform/hashing.js';
import type { Projector } from '../transform/project.js';

/**
 * Where one stream's records go: custom attributes typed, hashed fields
 * hashed, fields selected, written. Hashing follows typing, so a hashed
 * custom attribute is hashed as the value the catalog would show, and comes
 * before selection and serialisation, so no original value is written.
 */
export class StreamSink {
  constructor(
    readonly stream: string,
    private readonly output: Output,
    private readonly project: Projector,
    private readonly typer: CustomAttributeTyper | null,
    private readonly hashing: HashPlan | null = null,
  ) {}

  write(record: JsonObject): void {
    const typed = this.typer ? this.typer.apply(record) : record;
    this.output.record(this.stream, this.project(this.hashing ? this.hashing.apply(typed) : typed));
  }
}
