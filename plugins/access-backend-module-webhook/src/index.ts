/**
 * Grants and revokes just-in-time access through signed HTTP webhooks: every entry of
 * `access.webhook.endpoints` becomes a provisioner of the access plugin.
 *
 * @packageDocumentation
 */
export { accessModuleWebhookProvisioner as default } from './module';
export { accessModuleWebhookProvisioner } from './module';
export {
  createWebhookProvisioner,
  type WebhookProvisionerOptions,
  type WebhookRequestBody,
} from './WebhookProvisioner';
export {
  readWebhookEndpointsConfig,
  DEFAULT_WEBHOOK_RETRIES,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  MAX_WEBHOOK_RETRIES,
  type WebhookEndpointConfig,
} from './config';
export {
  computeWebhookSignature,
  verifyWebhookSignature,
  DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
  WEBHOOK_IDEMPOTENCY_KEY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookHeaderValue,
} from './signature';
