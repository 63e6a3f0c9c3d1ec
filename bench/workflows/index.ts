// The bench's workflow bundle: every workflow the product registers, plus the hand-written baseline, so both run
// on one worker, from one bundle, in alternating rounds.
export * from '../../engine/workflows/index.js';
export { handWrittenOnboardingWorkflow } from './hand-onboarding.js';
