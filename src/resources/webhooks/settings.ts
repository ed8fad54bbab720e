import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { SecretBox } from '../../auth/secret-box.js';
import type { SpaceAccessPolicy } from '../../auth/space-access.js';
import type { DB, WebhookRetryPolicyRow, WebhookSigningSecretRow } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { MAX_MAX_RETRIES, MIN_MAX_RETRIES } from '../../events/webhook-retries.js';
import { link, versionedSys } from '../../http/sys.js';
import { WebhookSettingsRepository } from './settings-repository.js';

/**
 * Contentful's constraints on a signing secret ("Webhook signing secrets"): "It must be exactly 64
 * characters long" and "It must match this regular expression: /^[0-9a-zA-Z+/=_-]+$/".
 */
export const signingSecretBody = z.looseObject({
  value: z
    .string()
    .length(64)
    .regex(/^[0-9a-zA-Z+/=_-]+$/),
});

/** "a retry policy takes a single property: maxRetries that can be configured with an integer value from 2 to 99". */
export const retryPolicyBody = z.looseObject({
  maxRetries: z.number().int().min(MIN_MAX_RETRIES).max(MAX_MAX_RETRIES),
});

/** The sys of a space's setting as Contentful shows it: no id, the space, the version and who wrote it when. */
function settingSys(type: string, row: WebhookSigningSecretRow | WebhookRetryPolicyRow) {
  return { type, space: link('Space', row.space_id), ...versionedSys(row) };
}

/**
 * The webhook settings of a space: the signing secret every webhook call of the space is signed with
 * (stored sealed; shown as its last 4 characters, `redactedValue`, in every answer, and in full only in
 * the answer of the PUT that sets it) and the retry policy. Managing them needs the space's Settings permission, like
 * the webhooks themselves.
 */
export class WebhookSettingsService {
  private readonly settings: WebhookSettingsRepository;

  constructor(
    db: Kysely<DB>,
    private readonly spaceAccess: SpaceAccessPolicy,
    private readonly secrets: SecretBox,
  ) {
    this.settings = new WebhookSettingsRepository(db);
  }

  private async manage(actor: Actor, spaceId: string): Promise<void> {
    await this.spaceAccess.requirePermission(actor, spaceId, 'Settings', 'manage');
  }

  private signingSecretView(row: WebhookSigningSecretRow) {
    return { redactedValue: this.secrets.open(row.value_sealed).slice(-4), sys: settingSys('WebhookSigningSecret', row) };
  }

  async getSigningSecret(actor: Actor, spaceId: string) {
    await this.manage(actor, spaceId);
    const row = await this.settings.find('webhook_signing_secrets', spaceId);
    if (!row) throw notFound('WebhookSigningSecret');
    return this.signingSecretView(row);
  }

  async upsertSigningSecret(actor: Actor, spaceId: string, input: z.infer<typeof signingSecretBody>) {
    await this.manage(actor, spaceId);
    const row = await this.settings.upsert(
      'webhook_signing_secrets',
      spaceId,
      { value_sealed: this.secrets.seal(input.value) },
      actor.userId,
    );
    return { value: input.value, ...this.signingSecretView(row) };
  }

  async deleteSigningSecret(actor: Actor, spaceId: string): Promise<void> {
    await this.manage(actor, spaceId);
    if (!(await this.settings.delete('webhook_signing_secrets', spaceId))) throw notFound('WebhookSigningSecret');
  }

  async getRetryPolicy(actor: Actor, spaceId: string) {
    await this.manage(actor, spaceId);
    const row = await this.settings.find('webhook_retry_policies', spaceId);
    if (!row) throw notFound('WebhookRetryPolicy');
    return retryPolicyView(row);
  }

  async upsertRetryPolicy(actor: Actor, spaceId: string, input: z.infer<typeof retryPolicyBody>) {
    await this.manage(actor, spaceId);
    return retryPolicyView(await this.settings.upsert('webhook_retry_policies', spaceId, { max_retries: input.maxRetries }, actor.userId));
  }

  async deleteRetryPolicy(actor: Actor, spaceId: string): Promise<void> {
    await this.manage(actor, spaceId);
    if (!(await this.settings.delete('webhook_retry_policies', spaceId))) throw notFound('WebhookRetryPolicy');
  }
}

const retryPolicyView = (row: WebhookRetryPolicyRow) => ({ maxRetries: row.max_retries, sys: settingSys('WebhookRetryPolicy', row) });
