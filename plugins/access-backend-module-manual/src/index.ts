/**
 * Just-in-time access to systems with no API: a provisioner module for the access backend that
 * turns grants and revocations into fulfilment tasks for the resource owners, who complete them
 * from the portal.
 *
 * @packageDocumentation
 */
export { accessModuleManualProvisioner as default } from './module';
export { accessModuleManualProvisioner } from './module';
export { createManualProvisioner } from './provisioner';
export type { ManualProvisioner } from './provisioner';
export {
  parseManualProvisionerConfig,
  readManualProvisionerConfig,
  DEFAULT_GRANT_INSTRUCTIONS,
  DEFAULT_MANUAL_PROVISIONER_ID,
  DEFAULT_REVOKE_INSTRUCTIONS,
} from './config';
export type {
  ManualProvisionerConfig,
  ManualResourceInstructions,
} from './config';
export { INSTRUCTION_PLACEHOLDERS } from './templates';
export type { InstructionPlaceholder } from './templates';
