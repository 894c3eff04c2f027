import { z } from 'zod';
import type { Page } from './common';
import * as id from './accounts/identity';

/**
 * Every NATS subject in Steward. No subject string appears anywhere else.
 * Commands/queries: `<service>.<noun>.<verb>.v<N>` (request/reply, queue group per service).
 * Events: `<service>.events.<noun>.<past-tense>.v<N>` (JetStream, via the outbox).
 * A breaking change is a new version, served side by side with the old one.
 *
 * WARNING: wire names.
 */
export const Subjects = {
  accounts: {
    tenantCreate: 'accounts.tenant.create.v1',
    authLogin: 'accounts.auth.login.v1',
    authRefresh: 'accounts.auth.refresh.v1',
    authLogout: 'accounts.auth.logout.v1',
    apiKeyVerify: 'accounts.api-key.verify.v1',
    userGet: 'accounts.user.get.v1',
    userList: 'accounts.user.list.v1',
    userCreate: 'accounts.user.create.v1',
    userUpdate: 'accounts.user.update.v1',
    partnerList: 'accounts.partner.list.v1',
    partnerCreate: 'accounts.partner.create.v1',
    apiKeyCreate: 'accounts.api-key.create.v1',
    apiKeyList: 'accounts.api-key.list.v1',
    apiKeyRevoke: 'accounts.api-key.revoke.v1',
    auditList: 'accounts.audit.list.v1',
  },
} as const;

export const Events = {
  accounts: {
    tenantCreated: 'accounts.events.tenant.created.v1',
    userCreated: 'accounts.events.user.created.v1',
    userUpdated: 'accounts.events.user.updated.v1',
    partnerCreated: 'accounts.events.partner.created.v1',
    apiKeyCreated: 'accounts.events.api-key.created.v1',
    apiKeyRevoked: 'accounts.events.api-key.revoked.v1',
  },
} as const;

/** The services that own a JetStream stream of events (`<service>.events.>`). */
export const EVENT_SOURCES = ['accounts'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

interface Rpc<Req, Res> {
  request: Req;
  response: Res;
}

/** Subject → request and response payloads. A typed client infers both sides from the subject. */
export interface RequestMap {
  'accounts.tenant.create.v1': Rpc<id.CreateTenantRequest, id.CreateTenantResponse>;
  'accounts.auth.login.v1': Rpc<id.LoginRequest, id.SessionResponse>;
  'accounts.auth.refresh.v1': Rpc<id.RefreshRequest, id.SessionResponse>;
  'accounts.auth.logout.v1': Rpc<id.LogoutRequest, { revoked: boolean }>;
  'accounts.api-key.verify.v1': Rpc<id.VerifyApiKeyRequest, id.VerifiedApiKey>;
  'accounts.user.get.v1': Rpc<id.GetUserRequest, id.UserDto>;
  'accounts.user.list.v1': Rpc<id.ListUsersRequest, Page<id.UserDto>>;
  'accounts.user.create.v1': Rpc<id.CreateUserRequest, id.UserDto>;
  'accounts.user.update.v1': Rpc<id.UpdateUserRequest, id.UserDto>;
  'accounts.partner.list.v1': Rpc<id.ListPartnersRequest, Page<id.PartnerDto>>;
  'accounts.partner.create.v1': Rpc<id.CreatePartnerRequest, id.PartnerDto>;
  'accounts.api-key.create.v1': Rpc<id.CreateApiKeyRequest, id.CreateApiKeyResponse>;
  'accounts.api-key.list.v1': Rpc<id.ListApiKeysRequest, Page<id.ApiKeyDto>>;
  'accounts.api-key.revoke.v1': Rpc<id.RevokeApiKeyRequest, id.ApiKeyDto>;
  'accounts.audit.list.v1': Rpc<id.ListAuditRequest, Page<id.AuditEntryDto>>;
}

/** Subject → event payload. */
export interface EventMap {
  'accounts.events.tenant.created.v1': id.TenantCreatedEvent;
  'accounts.events.user.created.v1': id.UserChangedEvent;
  'accounts.events.user.updated.v1': id.UserChangedEvent;
  'accounts.events.partner.created.v1': id.PartnerCreatedEvent;
  'accounts.events.api-key.created.v1': id.ApiKeyChangedEvent;
  'accounts.events.api-key.revoked.v1': id.ApiKeyChangedEvent;
}

export type RequestSubject = keyof RequestMap;
export type EventSubject = keyof EventMap;
export type RequestOf<S extends RequestSubject> = RequestMap[S]['request'];
export type ResponseOf<S extends RequestSubject> = RequestMap[S]['response'];
export type EventOf<S extends EventSubject> = EventMap[S];

/**
 * The schema each service validates an incoming request with. Typed so that a schema
 * whose output drifts from the request type does not compile.
 */
export const RequestSchemas: { [S in RequestSubject]: z.ZodType<RequestOf<S>, unknown> } = {
  'accounts.tenant.create.v1': id.CreateTenantRequest,
  'accounts.auth.login.v1': id.LoginRequest,
  'accounts.auth.refresh.v1': id.RefreshRequest,
  'accounts.auth.logout.v1': id.LogoutRequest,
  'accounts.api-key.verify.v1': id.VerifyApiKeyRequest,
  'accounts.user.get.v1': id.GetUserRequest,
  'accounts.user.list.v1': id.ListUsersRequest,
  'accounts.user.create.v1': id.CreateUserRequest,
  'accounts.user.update.v1': id.UpdateUserRequest,
  'accounts.partner.list.v1': id.ListPartnersRequest,
  'accounts.partner.create.v1': id.CreatePartnerRequest,
  'accounts.api-key.create.v1': id.CreateApiKeyRequest,
  'accounts.api-key.list.v1': id.ListApiKeysRequest,
  'accounts.api-key.revoke.v1': id.RevokeApiKeyRequest,
  'accounts.audit.list.v1': id.ListAuditRequest,
};

/** The service that owns a subject: its first segment. */
export function serviceOf(subject: string): string {
  return subject.slice(0, subject.indexOf('.'));
}
