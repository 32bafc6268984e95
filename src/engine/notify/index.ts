/** Notifications: trigger detection and bodies (pure), the fire-and-forget queue, the webhook sender (node:http). */
export { type Delivery, type DeliveryOutcome, NotificationQueue, type RetryPolicy } from './queue.js';
export { DEFAULT_BODY, expandEnv, type NotificationEvent, renderBody, targetsFor } from './template.js';
export { detectEvents, type TriggerView } from './triggers.js';
export { sendWebhook, type WebhookRequest, type WebhookSender } from './webhook.js';
