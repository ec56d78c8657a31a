// Prints the closing line "N passed, N failed" over every suite that ran, counting each step
// that failed without reporting tests (typecheck, lint, a crash) as one failure.
const fs = require('fs');
const path = require('path');

const resultsDir = path.join(__dirname, '..', '..', '.test-results');
const failedSteps = process.argv.slice(2);
let passed = 0;
let failed = 0;
const reported = new Set();

const jestFile = path.join(resultsDir, 'jest.json');
if (fs.existsSync(jestFile)) {
  const jest = JSON.parse(fs.readFileSync(jestFile, 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  // Suites that failed to run at all report no failed test; count each once.
  failed += jest.testResults.filter(
    r => r.status === 'failed' && r.assertionResults.every(a => a.status !== 'failed'),
  ).length;
  reported.add('jest');
  console.log(`jest: ${jest.numPassedTests} passed, ${jest.numFailedTests} failed`);
}

const smokeFile = path.join(resultsDir, 'smoke.json');
if (fs.existsSync(smokeFile)) {
  const smoke = JSON.parse(fs.readFileSync(smokeFile, 'utf8'));
  passed += smoke.passed;
  failed += smoke.failed;
  reported.add('smoke');
  console.log(`smoke: ${smoke.passed} passed, ${smoke.failed} failed`);
}

for (const step of failedSteps) {
  if (!reported.has(step)) {
    console.log(`${step}: failed`);
    failed += 1;
  } else if (step === 'jest' && failed === 0) {
    // jest exited non-zero without a failed test (e.g. no tests found): still a failure.
    failed += 1;
  }
}
if (passed === 0 && failed === 0) {
  failed = 1; // nothing ran is never green
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
