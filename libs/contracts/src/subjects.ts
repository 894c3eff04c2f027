import { z } from 'zod';
import type { Page } from './common';
import * as id from './accounts/identity';
import * as cu from './accounts/customers';

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
    accountCreate: 'accounts.account.create.v1',
    accountGet: 'accounts.account.get.v1',
    accountList: 'accounts.account.list.v1',
    accountUpdate: 'accounts.account.update.v1',
    accountDelete: 'accounts.account.delete.v1',
    accountRestore: 'accounts.account.restore.v1',
    importStart: 'accounts.import.start.v1',
    importChunk: 'accounts.import.chunk.v1',
    importFinish: 'accounts.import.finish.v1',
    importGet: 'accounts.import.get.v1',
    contactCreate: 'accounts.contact.create.v1',
    contactUpdate: 'accounts.contact.update.v1',
    contactDelete: 'accounts.contact.delete.v1',
    contactList: 'accounts.contact.list.v1',
    stakeholderMap: 'accounts.stakeholder-map.get.v1',
    projectCreate: 'accounts.project.create.v1',
    projectGet: 'accounts.project.get.v1',
    projectUpdate: 'accounts.project.update.v1',
    projectDelete: 'accounts.project.delete.v1',
    projectList: 'accounts.project.list.v1',
    revenueBatch: 'accounts.revenue.batch-upsert.v1',
    revenueList: 'accounts.revenue.list.v1',
    retier: 'accounts.tiering.retier.v1',
    tieringSummary: 'accounts.tiering.summary.v1',
    tierOverrideSet: 'accounts.tier-override.set.v1',
    tierOverrideClear: 'accounts.tier-override.clear.v1',
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
    accountCreated: 'accounts.events.account.created.v1',
    accountUpdated: 'accounts.events.account.updated.v1',
    accountDeleted: 'accounts.events.account.deleted.v1',
    accountRestored: 'accounts.events.account.restored.v1',
    accountTierChanged: 'accounts.events.account.tier-changed.v1',
    contactCreated: 'accounts.events.contact.created.v1',
    contactUpdated: 'accounts.events.contact.updated.v1',
    contactDeleted: 'accounts.events.contact.deleted.v1',
    projectCreated: 'accounts.events.project.created.v1',
    projectUpdated: 'accounts.events.project.updated.v1',
    projectDeleted: 'accounts.events.project.deleted.v1',
    projectWentLive: 'accounts.events.project.went-live.v1',
    revenueChanged: 'accounts.events.revenue.changed.v1',
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
  'accounts.account.create.v1': Rpc<cu.CreateAccountRequest, cu.AccountDto>;
  'accounts.account.get.v1': Rpc<cu.AccountIdRequest, cu.AccountDto>;
  'accounts.account.list.v1': Rpc<cu.ListAccountsRequest, Page<cu.AccountDto>>;
  'accounts.account.update.v1': Rpc<cu.UpdateAccountRequest, cu.AccountDto>;
  'accounts.account.delete.v1': Rpc<cu.AccountIdRequest, cu.AccountDto>;
  'accounts.account.restore.v1': Rpc<cu.AccountIdRequest, cu.AccountDto>;
  'accounts.import.start.v1': Rpc<cu.StartImportRequest, cu.ImportJobDto>;
  'accounts.import.chunk.v1': Rpc<cu.ImportChunkRequest, cu.ImportJobDto>;
  'accounts.import.finish.v1': Rpc<cu.FinishImportRequest, cu.ImportJobDto>;
  'accounts.import.get.v1': Rpc<cu.GetImportRequest, cu.ImportJobDto>;
  'accounts.contact.create.v1': Rpc<cu.CreateContactRequest, cu.ContactDto>;
  'accounts.contact.update.v1': Rpc<cu.UpdateContactRequest, cu.ContactDto>;
  'accounts.contact.delete.v1': Rpc<cu.ContactIdRequest, cu.ContactDto>;
  'accounts.contact.list.v1': Rpc<cu.ListContactsRequest, { items: cu.ContactDto[] }>;
  'accounts.stakeholder-map.get.v1': Rpc<cu.AccountIdRequest, cu.StakeholderMapDto>;
  'accounts.project.create.v1': Rpc<cu.CreateProjectRequest, cu.ProjectDto>;
  'accounts.project.get.v1': Rpc<cu.ProjectIdRequest, cu.ProjectDto>;
  'accounts.project.update.v1': Rpc<cu.UpdateProjectRequest, cu.ProjectDto>;
  'accounts.project.delete.v1': Rpc<cu.ProjectIdRequest, cu.ProjectDto>;
  'accounts.project.list.v1': Rpc<cu.ListProjectsRequest, { items: cu.ProjectDto[] }>;
  'accounts.revenue.batch-upsert.v1': Rpc<cu.RevenueBatchRequest, cu.RevenueBatchResponse>;
  'accounts.revenue.list.v1': Rpc<cu.ListRevenueRequest, { items: cu.RevenueRecordDto[] }>;
  'accounts.tiering.retier.v1': Rpc<cu.RetierRequest, cu.RetierResponse>;
  'accounts.tiering.summary.v1': Rpc<cu.TieringSummaryRequest, cu.TieringSummaryDto>;
  'accounts.tier-override.set.v1': Rpc<cu.SetTierOverrideRequest, cu.AccountDto>;
  'accounts.tier-override.clear.v1': Rpc<cu.ClearTierOverrideRequest, cu.AccountDto>;
}

/** Subject → event payload. */
export interface EventMap {
  'accounts.events.tenant.created.v1': id.TenantCreatedEvent;
  'accounts.events.user.created.v1': id.UserChangedEvent;
  'accounts.events.user.updated.v1': id.UserChangedEvent;
  'accounts.events.partner.created.v1': id.PartnerCreatedEvent;
  'accounts.events.api-key.created.v1': id.ApiKeyChangedEvent;
  'accounts.events.api-key.revoked.v1': id.ApiKeyChangedEvent;
  'accounts.events.account.created.v1': cu.AccountChangedEvent;
  'accounts.events.account.updated.v1': cu.AccountChangedEvent;
  'accounts.events.account.deleted.v1': cu.AccountChangedEvent;
  'accounts.events.account.restored.v1': cu.AccountChangedEvent;
  'accounts.events.account.tier-changed.v1': cu.AccountTierChangedEvent;
  'accounts.events.contact.created.v1': cu.ContactChangedEvent;
  'accounts.events.contact.updated.v1': cu.ContactChangedEvent;
  'accounts.events.contact.deleted.v1': cu.ContactChangedEvent;
  'accounts.events.project.created.v1': cu.ProjectChangedEvent;
  'accounts.events.project.updated.v1': cu.ProjectChangedEvent;
  'accounts.events.project.deleted.v1': cu.ProjectChangedEvent;
  'accounts.events.project.went-live.v1': cu.ProjectWentLiveEvent;
  'accounts.events.revenue.changed.v1': cu.RevenueChangedEvent;
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
  'accounts.account.create.v1': cu.CreateAccountRequest,
  'accounts.account.get.v1': cu.AccountIdRequest,
  'accounts.account.list.v1': cu.ListAccountsRequest,
  'accounts.account.update.v1': cu.UpdateAccountRequest,
  'accounts.account.delete.v1': cu.AccountIdRequest,
  'accounts.account.restore.v1': cu.AccountIdRequest,
  'accounts.import.start.v1': cu.StartImportRequest,
  'accounts.import.chunk.v1': cu.ImportChunkRequest,
  'accounts.import.finish.v1': cu.FinishImportRequest,
  'accounts.import.get.v1': cu.GetImportRequest,
  'accounts.contact.create.v1': cu.CreateContactRequest,
  'accounts.contact.update.v1': cu.UpdateContactRequest,
  'accounts.contact.delete.v1': cu.ContactIdRequest,
  'accounts.contact.list.v1': cu.ListContactsRequest,
  'accounts.stakeholder-map.get.v1': cu.AccountIdRequest,
  'accounts.project.create.v1': cu.CreateProjectRequest,
  'accounts.project.get.v1': cu.ProjectIdRequest,
  'accounts.project.update.v1': cu.UpdateProjectRequest,
  'accounts.project.delete.v1': cu.ProjectIdRequest,
  'accounts.project.list.v1': cu.ListProjectsRequest,
  'accounts.revenue.batch-upsert.v1': cu.RevenueBatchRequest,
  'accounts.revenue.list.v1': cu.ListRevenueRequest,
  'accounts.tiering.retier.v1': cu.RetierRequest,
  'accounts.tiering.summary.v1': cu.TieringSummaryRequest,
  'accounts.tier-override.set.v1': cu.SetTierOverrideRequest,
  'accounts.tier-override.clear.v1': cu.ClearTierOverrideRequest,
};

/** The service that owns a subject: its first segment. */
export function serviceOf(subject: string): string {
  return subject.slice(0, subject.indexOf('.'));
}
