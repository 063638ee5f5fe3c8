import t from 'tap';
import { CheckpointGuard } from '../../src/engine/checkpoint-guard.js';
import { SystemError } from '../../src/protocol/errors.js';

t.test('a cursor that stays or moves forward is accepted', (t) => {
  const guard = new CheckpointGuard();
  t.doesNotThrow(() => {
    guard.accept('contacts', 100);
    guard.accept('contacts', 100);
    guard.accept('contacts', 250);
    guard.accept('tags', 5);
  });
  t.end();
});

t.test('a cursor that moves backwards is a system_error naming the stream', (t) => {
  const guard = new CheckpointGuard();
  guard.accept('contacts', 250);
  guard.accept('tags', 10);
  const err = t.throws(() => guard.accept('contacts', 249)) as SystemError;
  t.ok(err instanceof SystemError);
  t.equal(err.failureType, 'system_error');
  t.match(err.message, /'contacts'/);
  t.match(err.message, /from 250 to 249/);
  t.doesNotThrow(() => guard.accept('tags', 10), 'other streams are unaffected');
  t.end();
});
