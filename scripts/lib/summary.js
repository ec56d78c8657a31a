// Prints the closing line "N passed, N failed" over every suite that ran. A step that failed
// without reporting tests (typecheck, lint, a missing server, a crashed runner) counts as one
// failure.
const fs = require('fs');
const path = require('path');

const resultsDir = path.join(__dirname, '..', '..', '.test-results');
const failedSteps = process.argv.slice(2);
let passed = 0;
let failed = 0;

function readResults(name) {
  const file = path.join(resultsDir, name);
  return fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : undefined;
}

/** Counts a Jest results file; returns the failures it reported, or undefined without one. */
function countJest(file, label) {
  const jest = readResults(file);
  if (!jest) return undefined;
  // A suite that fails to load reports no failed test; count it once.
  const brokenSuites = jest.testResults.filter(
    r =>
      r.status === 'failed' &&
      r.assertionResults.every(a => a.status !== 'failed'),
  ).length;
  passed += jest.numPassedTests;
  failed += jest.numFailedTests + brokenSuites;
  console.log(
    `${label}: ${jest.numPassedTests} passed, ${
      jest.numFailedTests + brokenSuites
    } failed`,
  );
  return jest.numFailedTests + brokenSuites;
}

const jestFailures = countJest('jest.json', 'jest');
const jestNode22Failures = countJest('jest-node22.json', 'jest on Node 22');

// One result per published package: what its tarball contains (scripts/lib/check-packages.js).
const packages = readResults('packages.json');
if (packages) {
  passed += packages.passed;
  failed += packages.failed;
  console.log(`packages: ${packages.passed} passed, ${packages.failed} failed`);
}

const smoke = readResults('smoke.json');
if (smoke) {
  passed += smoke.passed;
  failed += smoke.failed;
  console.log(`smoke: ${smoke.passed} passed, ${smoke.failed} failed`);
}

const install = readResults('install.json');
if (install) {
  passed += install.passed;
  failed += install.failed;
  console.log(
    `install test: ${install.passed} passed, ${install.failed} failed`,
  );
}

for (const step of failedSteps) {
  const reportedFailures =
    (step === 'jest' && jestFailures > 0) ||
    (step === 'jest-node22' && jestNode22Failures > 0) ||
    (step === 'smoke' && smoke && smoke.failed > 0) ||
    (step === 'install' && install && install.failed > 0);
  if (!reportedFailures) {
    console.log(`${step}: failed`);
    failed += 1;
  }
}
if (passed === 0 && failed === 0) {
  console.log('nothing ran');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
