/** Injection tokens of the gateway. */
export const GATEWAY_CONFIG = Symbol('GatewayConfig');
export const RPC = Symbol('RpcClient');
export const TOKENS = Symbol('AccessTokens');
export const IDEMPOTENCY = Symbol('IdempotencyStore');
export const READINESS = Symbol('Readiness');
