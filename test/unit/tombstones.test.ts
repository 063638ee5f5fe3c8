/**
 * The tombstone shape, the snapshot keys kept in the state, the deletion
 * cursor's guard and the version check of the deleted list.
 */
import t from 'tap';
import { CheckpointGuard } from '../../src/engine/checkpoint-guard.js';
import { carriesDeletes, defineStream, streamCursor } from '../../src/engine/definition.js';
import { SnapshotKeys } from '../../src/engine/snapshot-keys.js';
import { compareVersions } from '../../src/engine/sources/deleted-list.js';
import { tombstoneRecord } from '../../src/engine/tombstones.js';
import { STREAMS, streamByName } from '../../src/streams/registry.js';

const tags = streamByName('tags')!;
const conversations = streamByName('conversations')!;
const teamAdmins = streamByName('team_admins')!;

t.test('a tombstone: key, deletion time, cursor at the same instant in its own type, last version when known', (t) => {
  const snap = tombstoneRecord(tags, { key: { id: '81' }, deletedAt: 1_700_000_000 });
  t.same(snap, { id: '81', _ab_cdc_deleted_at: '2023-11-14T22:13:20Z', _ab_cdc_updated_at: '2023-11-14T22:13:20Z' }, 'snapshot: the ISO cursor');
  const versioned = tombstoneRecord(conversations, { key: { id: '7' }, deletedAt: 1_700_000_000, lastKnown: { id: '7', state: 'open', updated_at: 1_690_000_000 } });
  t.equal(versioned.updated_at, 1_700_000_000, 'versioned: updated_at in Unix seconds, not the last version');
  t.equal(versioned.state, 'open', 'carries the last version');
  t.equal(versioned._ab_cdc_deleted_at, '2023-11-14T22:13:20Z');
  t.throws(() => tombstoneRecord(streamByName('activity_logs')!, { key: { id: '1' }, deletedAt: 1 }), /takes no tombstones/, 'events are never deleted');
  t.throws(() => tombstoneRecord(streamByName('conversation_parts')!, { key: { id: '1' }, deletedAt: 1 }), /takes no tombstones/, 'nor streams without a producer');
  t.end();
});

t.test('the history decides who carries deletes', (t) => {
  const carrying = STREAMS.filter(carriesDeletes).map((s) => s.name).sort();
  t.same(
    carrying,
    ['admins', 'companies', 'company_attributes', 'contact_attributes', 'contacts', 'conversation_attributes', 'conversations', 'help_center_collections', 'help_centers', 'segments', 'subscription_types', 'tags', 'team_admins', 'teams'].sort(),
  );
  for (const s of STREAMS.filter((x) => x.history === 'snapshot')) t.equal(streamCursor(s), '_ab_cdc_updated_at', `${s.name}: snapshot cursor`);
  t.throws(() => defineStream({ ...streamByName('activity_logs')!, deletes: ['webhook-relay'] }), /only versioned streams/);
  t.end();
});

t.test('snapshot keys: a finished read compares, an unfinished one forgets nothing', (t) => {
  const previous = { _ab_cdc_updated_at: '2026-01-01T00:00:00Z', keys: ['1', '2', '3'] };
  const done = new SnapshotKeys(tags, previous, 1_800_000_000);
  done.see({ id: '2' });
  done.see({ id: '4' });
  t.same(done.finish(), [{ id: '1' }, { id: '3' }], 'keys seen before and not now are deleted');
  t.same(done.state('2027-01-01T00:00:00Z'), { _ab_cdc_updated_at: '2027-01-01T00:00:00Z', keys: ['2', '4'] });

  const partial = new SnapshotKeys(tags, previous, 1_800_000_000);
  partial.see({ id: '4' });
  t.same(partial.stateKeys().sort(), ['1', '2', '3', '4'], 'unfinished: the union, so a later full read still compares them');

  const pairs = new SnapshotKeys(teamAdmins, { keys: [['5', '9']] }, 1_800_000_000);
  t.same(pairs.finish(), [{ team_id: '5', admin_id: '9' }], 'composite keys come back as columns');
  t.same(new SnapshotKeys(tags, { keys: 'garbage' }, 1).finish(), [], 'a state without keys deletes nothing');
  t.ok(new SnapshotKeys(tags, { _ab_cdc_updated_at: '2200-01-01T00:00:00Z' }, 1_800_000_000).ahead, 'a state from the future is ahead');
  t.end();
});

t.test('the checkpoint guard holds for a second cursor of the state too', (t) => {
  const guard = new CheckpointGuard();
  guard.accept('conversations', 10);
  guard.accept('conversations', 5, 'deleted_at');
  guard.accept('conversations', 5, 'deleted_at');
  t.throws(() => guard.accept('conversations', 4, 'deleted_at'), /of 'deleted_at' moved backwards/);
  t.end();
});

t.test('api versions compare numerically', (t) => {
  t.ok(compareVersions('2.9', '2.15') < 0);
  t.ok(compareVersions('2.16', '2.15') > 0);
  t.equal(compareVersions('2.15', '2.15'), 0);
  t.ok(compareVersions('Unstable', '2.15') > 0, 'Unstable is the newest');
  t.end();
});

t.test('webhook_relay config: the token is a secret, the URL is checked', async (t) => {
  const { parseConfig, secretValues } = await import('../../src/config/config.js');
  const base = { access_token: 'tok', start_date: '2024-01-01T00:00:00Z' };
  t.same(parseConfig({ ...base, webhook_relay: { url: 'https://relay.example.com/', token: 'rt' } }).webhookRelay, { url: 'https://relay.example.com', token: 'rt' });
  t.ok(secretValues({ ...base, webhook_relay: { url: 'https://relay.example.com', token: 'rt' } }).includes('rt'), 'the relay token is redacted');
  t.throws(() => parseConfig({ ...base, webhook_relay: { url: 'http://relay.example.com', token: 'rt' } }), /webhook_relay\.url' must use https/);
  t.throws(() => parseConfig({ ...base, webhook_relay: { url: 'https://u:p@relay.example.com', token: 'rt' } }), /must not carry credentials/);
  t.throws(() => parseConfig({ ...base, webhook_relay: { url: 'https://relay.example.com', token: ' ' } }), /webhook_relay\.token' is empty/);
  t.throws(() => parseConfig({ ...base, webhook_relay: { url: 'https://relay.example.com' } }), /token/);
  t.equal(parseConfig(base).webhookRelay, undefined, 'optional');
});
