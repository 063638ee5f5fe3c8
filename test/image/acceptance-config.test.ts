/**
 * integration_tests/acceptance-test-config.yml for Airbyte's Connector Acceptance Tests:
 * it names the image metadata.yaml describes, declares every suite high strictness
 * requires, and its connection configs are valid configs for the simulator that differ
 * only in the token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../src/config/config.js';
import { findRepoRoot } from '../support/vendor.js';

const root = findRepoRoot();
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

interface SuiteTest {
  config_path?: string;
  spec_path?: string;
  status?: string;
  expect_records?: { path?: string };
  future_state?: { future_state_path?: string };
}
interface AcceptanceConfig {
  connector_image: string;
  test_strictness_level: string;
  acceptance_tests: Record<string, { tests?: SuiteTest[]; bypass_reason?: string }>;
}

const cat = parseYaml(read('integration_tests/acceptance-test-config.yml')) as AcceptanceConfig;
const metadata = parseYaml(read('metadata.yaml')) as { data: { dockerRepository: string } };
const tests = (suite: string): SuiteTest[] => cat.acceptance_tests[suite]?.tests ?? [];

t.test('the acceptance tests target this image at high strictness', async (t) => {
  t.equal(cat.connector_image, `${metadata.data.dockerRepository}:dev`, 'connector_image is <dockerRepository>:dev');
  t.equal(cat.test_strictness_level, 'high', 'test_strictness_level is high');
  for (const suite of ['spec', 'connection', 'discovery', 'basic_read', 'incremental', 'full_refresh']) {
    t.ok(tests(suite).length > 0, `the ${suite} suite has tests`);
  }
  t.same(tests('spec').map((s) => s.spec_path), ['spec.json'], 'spec compares with spec.json');
  t.same(
    tests('connection').map((s) => [s.config_path, s.status]),
    [
      ['integration_tests/sample_config.json', 'succeed'],
      ['integration_tests/invalid_config.json', 'failed'],
    ],
    'check succeeds with sample_config.json and fails with invalid_config.json',
  );
  t.equal(tests('basic_read')[0]?.expect_records?.path, 'integration_tests/expected_records.jsonl', 'basic_read expects records');
  t.equal(
    tests('incremental')[0]?.future_state?.future_state_path,
    'integration_tests/abnormal_state.json',
    'incremental reads a future state',
  );
  const configs = Object.values(cat.acceptance_tests).flatMap((s) => s.tests ?? []).flatMap((s) => [s.config_path, s.spec_path]);
  for (const file of new Set(configs.filter((c): c is string => c !== undefined))) {
    t.ok(existsSync(join(root, file)), `${file} exists`);
  }
});

t.test('sample_config.json and invalid_config.json differ only in the token', async (t) => {
  const sample = JSON.parse(read('integration_tests/sample_config.json')) as Record<string, unknown>;
  const invalid = JSON.parse(read('integration_tests/invalid_config.json')) as Record<string, unknown>;
  // Both must pass config validation, so that `check` fails on the token, not on the file.
  t.doesNotThrow(() => parseConfig(sample), 'sample_config.json is a valid config');
  t.doesNotThrow(() => parseConfig(invalid), 'invalid_config.json is a valid config');
  t.equal(sample['access_token'], 'sim-token', 'sample_config.json has the simulator token');
  t.not(invalid['access_token'], sample['access_token'], 'invalid_config.json has another token');
  const { access_token: _a, ...sampleRest } = sample;
  const { access_token: _b, ...invalidRest } = invalid;
  t.same(invalidRest, sampleRest, 'everything else is the same');
  t.equal(sample['api_base_url'], 'http://127.0.0.1:8080', 'they point at the simulator on port 8080');
});
