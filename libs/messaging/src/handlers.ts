import type { RpcServer } from './rpc-server';

/**
 * A class of NATS adapters for one feature. `register` subscribes each subject with a
 * one-line call into the feature's service; the subject types both sides.
 */
export interface RpcHandlers {
  register(server: RpcServer): void;
}
