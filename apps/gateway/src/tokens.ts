/** Injection tokens of the gateway. */
export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const RPC = Symbol('RpcClient');
export const TOKENS = Symbol('AccessTokens');
export const READINESS = Symbol('Readiness');
/** The rate-limit and failed-authentication counters shared by every replica (limits/shared-counters.ts). */
export const COUNTERS = Symbol('SharedCounters');
/** Accounts' users and API-key revocations as the gateway knows them (auth/identity-feed.ts). */
export const IDENTITY = Symbol('IdentityFeed');
/** Verified and refused partner API keys (auth/api-keys.ts). */
export const API_KEYS = Symbol('ApiKeyVerifier');
