import '@testing-library/jest-dom';

// Page tests type and click through Material UI like a user; on a busy two-core CI machine running
// every suite at once one such test can take longer than Jest's 5-second default.
jest.setTimeout(30_000);
