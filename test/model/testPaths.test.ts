// Which files are test code (model/testPaths.ts): the credential rules lower a finding's severity
// there, the twelve-factor rules leave its reads and defaults alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTestPath } from '../../server/src/model/testPaths';

test('test code by path below the workspace folder; product modules that only mention testing are not', () => {
  const roots = ['file:///w'];
  const yes = ['tests/test_api.py', 'app/tests.py', 'app/conftest.py', 'pulpcore/pytest_plugin.py', 'src/pytest_plugins.py', 'app/settings/testing.py', 'netbox/netbox/configuration_testing.py', 'proj/settings_ci.py', 'proj/config_test.py', 'e2e/run.py', 'docker/regtest/data/eclair/eclair.conf', 'docker/images/oidcprovider/fixtures.json', 'app/fixture.yaml', 'web/regression/runtests.py'];
  const no = ['app/ab_testing.py', 'app/fixtures_loader.json', 'app/settings.py', 'app/configuration.py', 'app/testimonials.py', 'tools/latest.py'];
  assert.deepEqual(yes.filter((p) => !isTestPath(`file:///w/${p}`, roots)), []);
  assert.deepEqual(no.filter((p) => isTestPath(`file:///w/${p}`, roots)), []);
  // A checkout under a folder named tests/ does not make every file test code.
  assert.equal(isTestPath('file:///home/me/tests/proj/app.py', ['file:///home/me/tests/proj']), false);
});
