/**
 * src/protocol/state.ts: the input state file in every shape Airbyte or a
 * previous connector may hand over (reference: airbyte-protocol-and-acceptance-tests.md
 * A2 and A4; airbyte-official-intercom-source.md "State shapes").
 * src/engine/cursor-state.ts: the resume cursor inside a stream's state,
 * including the official connector's shapes; the earliest cursor wins.
 */
import t from 'tap';
import { parseInputState } from '../../src/protocol/state.js';
import { ConfigError } from '../../src/protocol/errors.js';
import { readCursor } from '../../src/engine/cursor-state.js';
import type { JsonObject } from '../../src/protocol/types.js';

const streamMsg = (name: string, state: JsonObject | null): JsonObject => ({
  type: 'STREAM',
  stream: { stream_descriptor: { name }, stream_state: state },
});

const asObject = (m: Map<string, JsonObject>): Record<string, JsonObject> => Object.fromEntries(m);

t.test('parseInputState: no state', (tt) => {
  tt.same(asObject(parseInputState(null)), {});
  tt.same(asObject(parseInputState(undefined)), {});
  tt.same(asObject(parseInputState([])), {});
  tt.same(asObject(parseInputState({})), {});
  tt.end();
});

t.test('parseInputState: the per-stream array CAT and the platform write', (tt) => {
  const raw = [streamMsg('contacts', { updated_at: 1676462031 }), streamMsg('conversations', { updated_at: 1676000000, extra: { a: 1 } })];
  tt.same(asObject(parseInputState(raw)), {
    contacts: { updated_at: 1676462031 },
    conversations: { updated_at: 1676000000, extra: { a: 1 } },
  });
  tt.end();
});

t.test('parseInputState: a single STREAM message', (tt) => {
  tt.same(asObject(parseInputState(streamMsg('tags', { synced_at: 5 }))), { tags: { synced_at: 5 } });
  tt.end();
});

t.test('parseInputState: stream descriptors with a namespace and sourceStats are accepted', (tt) => {
  const raw = [
    {
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'contacts', namespace: null }, stream_state: { updated_at: 7 } },
      sourceStats: { recordCount: 3.0 },
    },
  ];
  tt.same(asObject(parseInputState(raw)), { contacts: { updated_at: 7 } });
  tt.end();
});

t.test('parseInputState: a later message for the same stream replaces an earlier one', (tt) => {
  const raw = [streamMsg('contacts', { updated_at: 1 }), streamMsg('contacts', { updated_at: 2 })];
  tt.same(asObject(parseInputState(raw)), { contacts: { updated_at: 2 } });
  tt.end();
});

t.test('parseInputState: a null stream_state means the stream was reset', (tt) => {
  tt.same(asObject(parseInputState([streamMsg('contacts', null), streamMsg('tags', { a: 1 })])), { tags: { a: 1 } });
  tt.same(asObject(parseInputState([streamMsg('contacts', { updated_at: 1 }), streamMsg('contacts', null)])), {}, 'reset after a value');
  const missing = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'contacts' } } }];
  tt.same(asObject(parseInputState(missing)), {}, 'absent stream_state');
  tt.end();
});

t.test('parseInputState: GLOBAL state', (tt) => {
  const global = {
    type: 'GLOBAL',
    global: {
      shared_state: { cdc: 'x' },
      stream_states: [
        { stream_descriptor: { name: 'contacts' }, stream_state: { updated_at: 10 } },
        { stream_descriptor: { name: 'companies' }, stream_state: { updated_at: 20 } },
      ],
    },
  };
  tt.same(asObject(parseInputState(global)), { contacts: { updated_at: 10 }, companies: { updated_at: 20 } }, 'as a single message');
  tt.same(asObject(parseInputState([global])), { contacts: { updated_at: 10 }, companies: { updated_at: 20 } }, 'in an array');
  tt.end();
});

t.test('parseInputState: LEGACY messages', (tt) => {
  const legacy = { type: 'LEGACY', data: { contacts: { updated_at: 1 }, tags: {} } };
  tt.same(asObject(parseInputState(legacy)), { contacts: { updated_at: 1 }, tags: {} }, 'typed, alone');
  tt.same(asObject(parseInputState([legacy])), { contacts: { updated_at: 1 }, tags: {} }, 'typed, in an array');
  tt.same(asObject(parseInputState([{ data: { contacts: { updated_at: 3 } } }])), { contacts: { updated_at: 3 } }, 'a missing type means LEGACY');
  tt.end();
});

t.test('parseInputState: the legacy single object and its {"data": ...} wrapper', (tt) => {
  // The official connector's abnormal_state.json / sample_state.json shape.
  const legacy = {
    contacts: { updated_at: 1676462031 },
    conversations: { updated_at: 1676462031, conversations: { updated_at: 1676462031 } },
    activity_logs: { created_at: 1676462031 },
  };
  tt.same(asObject(parseInputState(legacy)), legacy);
  tt.same(asObject(parseInputState({ data: legacy })), legacy, 'wrapped in data');
  tt.end();
});

t.test('parseInputState: invalid shapes are ConfigErrors that name the file', (tt) => {
  const file = '/data/state.json';
  const cases: Array<[string, unknown]> = [
    ['a string', 'not state'],
    ['a number', 42],
    ['an array holding a non-object', [streamMsg('contacts', { updated_at: 1 }), 7]],
    ['a STREAM message without a descriptor name', [{ type: 'STREAM', stream: { stream_state: { updated_at: 1 } } }]],
    ['a STREAM message whose name is not a string', [{ type: 'STREAM', stream: { stream_descriptor: { name: 5 }, stream_state: {} } }]],
    ['a stream_state that is not an object', [streamMsg('contacts', 'yesterday' as unknown as JsonObject)]],
    ['a stream_state that is an array', [streamMsg('contacts', [1] as unknown as JsonObject)]],
    ['a GLOBAL message without stream_states', [{ type: 'GLOBAL', global: {} }]],
    ['a LEGACY message without a data object', [{ type: 'LEGACY', data: 'x' }]],
    ['an unknown type', [{ type: 'PARTIAL', data: {} }]],
  ];
  for (const [label, raw] of cases) {
    try {
      parseInputState(raw, file);
      tt.fail(`${label}: accepted`);
    } catch (err) {
      tt.ok(err instanceof ConfigError, `${label}: a ConfigError`);
      tt.equal((err as ConfigError).failureType, 'config_error', `${label}: failure type config_error`);
      tt.match((err as Error).message, file, `${label}: the message names ${file}`);
    }
  }
  tt.end();
});

/* ------------------------------------------------------------------ readCursor */

const X = 1676462031; // 2023-02-15T11:53:51Z
const Y = 1676000000;
const Z = 1675000000;

t.test('readCursor: nothing to read', (tt) => {
  tt.equal(readCursor(undefined, 'updated_at'), null);
  tt.equal(readCursor({}, 'updated_at'), null);
  tt.equal(readCursor({ updated_at: null }, 'updated_at'), null);
  tt.equal(readCursor({ updated_at: 'not a date' }, 'updated_at'), null);
  tt.equal(readCursor({ created_at: X }, 'updated_at'), null, 'another key');
  tt.end();
});

t.test('readCursor: this connector and the official one: {"updated_at": N} in every encoding', (tt) => {
  tt.equal(readCursor({ updated_at: X }, 'updated_at'), X, 'integer seconds');
  tt.equal(readCursor({ updated_at: String(X) }, 'updated_at'), X, 'numeric string (expected_records.jsonl style)');
  tt.equal(readCursor({ updated_at: '2023-02-15T11:53:51Z' }, 'updated_at'), X, 'ISO, Z');
  tt.equal(readCursor({ updated_at: '2023-02-15T12:53:51+01:00' }, 'updated_at'), X, 'ISO with offset');
  tt.equal(readCursor({ updated_at: '2023-02-15T11:53:51.250000+00:00' }, 'updated_at'), X, 'ISO with microseconds');
  tt.equal(readCursor({ updated_at: X * 1000 }, 'updated_at'), X, 'milliseconds');
  tt.equal(readCursor({ updated_at: String(X * 1000 + 999) }, 'updated_at'), X, 'milliseconds as a string');
  tt.equal(readCursor({ updated_at: 7626086649 }, 'updated_at'), 7626086649, 'abnormal_state.json future value');
  tt.equal(readCursor({ created_at: X }, 'created_at'), X, 'activity_logs key');
  tt.end();
});

t.test('readCursor: prior_state (IncrementalSingleSliceCursor); the earliest wins', (tt) => {
  tt.equal(readCursor({ updated_at: X, prior_state: { updated_at: Y } }, 'updated_at'), Y);
  tt.equal(readCursor({ updated_at: Y, prior_state: { updated_at: X } }, 'updated_at'), Y);
  tt.equal(readCursor({ prior_state: { updated_at: Y } }, 'updated_at'), Y, 'prior_state alone');
  tt.end();
});

t.test('readCursor: legacy substream shapes {updated_at, <parent>: {updated_at}}', (tt) => {
  tt.equal(readCursor({ updated_at: X, conversations: { updated_at: Y } }, 'updated_at'), Y, 'conversation_parts');
  tt.equal(readCursor({ updated_at: Y, conversations: { updated_at: X } }, 'updated_at'), Y);
  tt.equal(readCursor({ updated_at: X, companies: { updated_at: Z } }, 'updated_at'), Z, 'company_segments');
  tt.equal(readCursor({ updated_at: String(X), conversations: { updated_at: String(Y) } }, 'updated_at'), Y, 'as strings');
  tt.end();
});

t.test('readCursor: SubstreamStateMigration shape with parent_state', (tt) => {
  const state = {
    updated_at: X,
    prior_state: { updated_at: X },
    conversations: { updated_at: Y },
    parent_state: { conversations: { updated_at: Z } },
  };
  tt.equal(readCursor(state, 'updated_at'), Z);
  tt.equal(readCursor({ updated_at: X, parent_state: { conversations: { updated_at: Y } } }, 'updated_at'), Y);
  tt.equal(readCursor({ updated_at: X, parent_state: { companies: { updated_at: Z } } }, 'updated_at'), Z);
  tt.end();
});

t.test('readCursor: the CDK global substream cursor {state: {updated_at}, parent_state: {...}}', (tt) => {
  tt.equal(readCursor({ state: { updated_at: X }, parent_state: { conversations: { updated_at: Y } } }, 'updated_at'), Y);
  tt.equal(readCursor({ state: { updated_at: Y }, parent_state: { conversations: { updated_at: X } } }, 'updated_at'), Y);
  tt.equal(
    readCursor({ state: { updated_at: '2023-02-15T11:53:51Z' }, parent_state: { conversations: { updated_at: '1676462031' } }, lookback_window: 1 }, 'updated_at'),
    X,
  );
  tt.equal(readCursor({ state: { updated_at: X } }, 'updated_at'), X, 'no parent');
  tt.end();
});

t.test('readCursor: the earliest of every cursor present wins', (tt) => {
  const values = [X, Y, Z, X + 5, Y - 3];
  const state = {
    updated_at: values[0],
    state: { updated_at: values[1] },
    prior_state: { updated_at: values[2] },
    conversations: { updated_at: values[3] },
    parent_state: { conversations: { updated_at: values[4] } },
  };
  tt.equal(readCursor(state, 'updated_at'), Math.min(...values));
  tt.end();
});
