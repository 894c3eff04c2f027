import { z } from 'zod';
import { SessionResponse } from './accounts/identity';
import { Uuid } from './common';

/**
 * Bodies only the gateway answers with (no service replies them as they are): the
 * OpenAPI document and the typed client name them like every other contract schema.
 */

/** `POST /v1/auth/login` and `/v1/auth/refresh`: an access token signed by the gateway, and the session it came from. */
export const AccessSessionDto = SessionResponse.extend({
  accessToken: z.string().describe('Send as `Authorization: Bearer <accessToken>`.'),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive().describe('Seconds until the access token expires: refresh before.'),
});
export type AccessSessionDto = z.infer<typeof AccessSessionDto>;

/** `GET /v1/partner/me`: the partner and key behind an `X-Api-Key`. */
export const PartnerSelfDto = z.object({ tenantId: Uuid, partnerId: Uuid, keyId: Uuid });
export type PartnerSelfDto = z.infer<typeof PartnerSelfDto>;
