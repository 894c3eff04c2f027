import { z } from 'zod';
import { page } from '../common';
import { defineService, event, rpc } from '../define';
import * as cu from './customers';
import * as id from './identity';

/** Identity plumbing (tenants, users, partners, API keys): never delivered as webhooks. */
const INTERNAL = { audience: 'internal' } as const;

/**
 * The accounts service: identity (tenants, users, partners, API keys, audit) and the
 * tenant's enterprise customers (accounts, stakeholders, installed base, revenue, tiers).
 *
 * WARNING: wire names. A breaking change is a new `.vN` subject served beside the old one.
 */
export const accountsContract = defineService('accounts', {
  rpc: {
    tenantCreate: rpc('tenant.create.v1', id.CreateTenantRequest, id.CreateTenantResponse, 'Create a tenant and its first admin (operator only)'),
    authLogin: rpc('auth.login.v1', id.LoginRequest, id.SessionResponse, 'Check an e-mail and password; open a session'),
    authRefresh: rpc('auth.refresh.v1', id.RefreshRequest, id.SessionResponse, 'Rotate a refresh token'),
    authLogout: rpc('auth.logout.v1', id.LogoutRequest, z.object({ revoked: z.boolean() }), 'Revoke a refresh token'),
    apiKeyVerify: rpc('api-key.verify.v1', id.VerifyApiKeyRequest, id.VerifiedApiKey, 'Resolve a partner API key to its tenant and partner'),
    userGet: rpc('user.get.v1', id.GetUserRequest, id.UserDto, 'One user'),
    userList: rpc('user.list.v1', id.ListUsersRequest, page(id.UserDto), 'The tenant users, one page'),
    userCreate: rpc('user.create.v1', id.CreateUserRequest, id.UserDto, 'Create a user'),
    userUpdate: rpc('user.update.v1', id.UpdateUserRequest, id.UserDto, 'Change a user'),
    partnerList: rpc('partner.list.v1', id.ListPartnersRequest, page(id.PartnerDto), 'Channel partners, one page'),
    partnerCreate: rpc('partner.create.v1', id.CreatePartnerRequest, id.PartnerDto, 'Create a channel partner'),
    partnerGet: rpc('partner.get.v1', id.GetPartnerRequest, id.PartnerDto, 'One channel partner'),
    apiKeyCreate: rpc('api-key.create.v1', id.CreateApiKeyRequest, id.CreateApiKeyResponse, 'Issue an API key for a partner (the key is returned once)'),
    apiKeyList: rpc('api-key.list.v1', id.ListApiKeysRequest, page(id.ApiKeyDto), "A partner's API keys, one page"),
    apiKeyRevoke: rpc('api-key.revoke.v1', id.RevokeApiKeyRequest, id.ApiKeyDto, 'Revoke an API key (idempotent)'),
    apiKeyGet: rpc('api-key.get.v1', id.GetApiKeyRequest, id.ApiKeyDto, 'One API key (never the key itself)'),
    apiKeyRotate: rpc('api-key.rotate.v1', id.RotateApiKeyRequest, id.RotateApiKeyResponse, 'Issue a new key in place of one; the old one works until the overlap ends'),
    auditList: rpc('audit.list.v1', id.ListAuditRequest, page(id.AuditEntryDto), 'Identity audit log, newest first'),
    accountCreate: rpc('account.create.v1', cu.CreateAccountRequest, cu.AccountDto, 'Create an account'),
    accountGet: rpc('account.get.v1', cu.AccountIdRequest, cu.AccountDto, 'One account (also soft-deleted ones)'),
    accountList: rpc('account.list.v1', cu.ListAccountsRequest, page(cu.AccountDto), 'Accounts with filters, sort and keyset paging'),
    accountUpdate: rpc('account.update.v1', cu.UpdateAccountRequest, cu.AccountDto, 'Change an account (optimistic concurrency)'),
    accountDelete: rpc('account.delete.v1', cu.AccountWriteRequest, cu.AccountDto, 'Soft-delete an account (idempotent; optimistic concurrency)'),
    accountRestore: rpc('account.restore.v1', cu.AccountWriteRequest, cu.AccountDto, 'Restore a soft-deleted account (idempotent; optimistic concurrency)'),
    importStart: rpc('import.start.v1', cu.StartImportRequest, cu.ImportJobDto, 'Open a CSV import: its rows are uploaded next, then it runs as a durable job'),
    importRows: rpc('import.rows.v1', cu.ImportRowsRequest, cu.ImportJobDto, 'Store one chunk of CSV rows of an open import (idempotent per chunk)'),
    importSubmit: rpc('import.submit.v1', cu.SubmitImportRequest, cu.ImportJobDto, 'All rows are uploaded: run the import job now (or abort the import)'),
    importGet: rpc('import.get.v1', cu.GetImportRequest, cu.ImportJobDto, 'Progress and row errors of an import'),
    contactCreate: rpc('contact.create.v1', cu.CreateContactRequest, cu.ContactDto, 'Add a contact to the decision chain'),
    contactUpdate: rpc('contact.update.v1', cu.UpdateContactRequest, cu.ContactDto, 'Change a contact'),
    contactDelete: rpc('contact.delete.v1', cu.ContactIdRequest, cu.ContactDto, 'Remove a contact; its reports move up'),
    contactGet: rpc('contact.get.v1', cu.ContactIdRequest, cu.ContactDto, 'One contact'),
    contactList: rpc('contact.list.v1', cu.ListContactsRequest, z.object({ items: z.array(cu.ContactDto) }), "An account's contacts"),
    stakeholderMap: rpc('stakeholder-map.get.v1', cu.AccountIdRequest, cu.StakeholderMapDto, 'The decision chain as a tree, with gaps'),
    projectCreate: rpc('project.create.v1', cu.CreateProjectRequest, cu.ProjectDto, 'Record a project or purchase'),
    projectGet: rpc('project.get.v1', cu.ProjectIdRequest, cu.ProjectDto, 'One project'),
    projectUpdate: rpc('project.update.v1', cu.UpdateProjectRequest, cu.ProjectDto, 'Change a project'),
    projectDelete: rpc('project.delete.v1', cu.ProjectIdRequest, cu.ProjectDto, 'Remove a project'),
    projectList: rpc('project.list.v1', cu.ListProjectsRequest, z.object({ items: z.array(cu.ProjectDto) }), "An account's installed base"),
    revenueBatch: rpc('revenue.batch-upsert.v1', cu.RevenueBatchRequest, cu.RevenueBatchResponse, 'Upsert up to 10,000 monthly revenue rows'),
    revenueList: rpc('revenue.list.v1', cu.ListRevenueRequest, z.object({ items: z.array(cu.RevenueRecordDto) }), "An account's monthly revenue"),
    retier: rpc('tiering.retier.v1', cu.RetierRequest, cu.RetierResponse, 'Recompute the Pareto tiers now'),
    tieringSummary: rpc('tiering.summary.v1', cu.TieringSummaryRequest, cu.TieringSummaryDto, 'Accounts, revenue and share per tier'),
    tierMovement: rpc('tiering.movement.v1', cu.TierMovementRequest, cu.TierMovementDto, 'How accounts moved between tiers since a moment'),
    tierOverrideSet: rpc('tier-override.set.v1', cu.SetTierOverrideRequest, cu.AccountDto, 'Pin an account to a tier'),
    tierOverrideClear: rpc('tier-override.clear.v1', cu.ClearTierOverrideRequest, cu.AccountDto, 'Remove a tier override'),
  },
  events: {
    tenantCreated: event('tenant.created.v1', id.TenantCreatedEvent, 'A tenant was created', INTERNAL),
    userCreated: event('user.created.v1', id.UserChangedEvent, 'A user was created', INTERNAL),
    userUpdated: event('user.updated.v1', id.UserChangedEvent, 'A user changed (name, role, active)', INTERNAL),
    partnerCreated: event('partner.created.v1', id.PartnerCreatedEvent, 'A channel partner was created', INTERNAL),
    apiKeyCreated: event('api-key.created.v1', id.ApiKeyChangedEvent, 'An API key was issued', INTERNAL),
    apiKeyRevoked: event('api-key.revoked.v1', id.ApiKeyChangedEvent, 'An API key was revoked', INTERNAL),
    apiKeyRotated: event('api-key.rotated.v1', id.ApiKeyRotatedEvent, 'An API key was rotated: a new key, and the old one expiring at the end of the overlap', INTERNAL),
    accountCreated: event('account.created.v1', cu.AccountChangedEvent, 'An account was created'),
    accountUpdated: event('account.updated.v1', cu.AccountChangedEvent, 'An account changed'),
    accountDeleted: event('account.deleted.v1', cu.AccountChangedEvent, 'An account was soft-deleted'),
    accountRestored: event('account.restored.v1', cu.AccountChangedEvent, 'An account was restored'),
    accountTierChanged: event('account.tier-changed.v1', cu.AccountTierChangedEvent, "An account's effective tier changed"),
    contactCreated: event('contact.created.v1', cu.ContactChangedEvent, 'A contact was added'),
    contactUpdated: event('contact.updated.v1', cu.ContactChangedEvent, 'A contact changed'),
    contactDeleted: event('contact.deleted.v1', cu.ContactChangedEvent, 'A contact was removed'),
    projectCreated: event('project.created.v1', cu.ProjectChangedEvent, 'A project was recorded'),
    projectUpdated: event('project.updated.v1', cu.ProjectChangedEvent, 'A project changed'),
    projectDeleted: event('project.deleted.v1', cu.ProjectChangedEvent, 'A project was removed'),
    projectWentLive: event('project.went-live.v1', cu.ProjectWentLiveEvent, 'A project went live'),
    // Partners have no access to revenue (ADR 3): tenants' endpoints only.
    revenueChanged: event('revenue.changed.v1', cu.RevenueChangedEvent, 'Monthly revenue rows were inserted or changed', { audience: 'tenant' }),
  },
  errors: {
    InvalidCredentials: 'INVALID_CREDENTIALS',
    TenantSlugTaken: 'TENANT_SLUG_TAKEN',
    EmailTaken: 'EMAIL_TAKEN',
    LastAdmin: 'LAST_ADMIN',
    ApiKeyRevoked: 'API_KEY_REVOKED',
    ExternalIdTaken: 'EXTERNAL_ID_TAKEN',
    StaleVersion: 'STALE_VERSION',
    ReportsToCycle: 'REPORTS_TO_CYCLE',
    AccountDeleted: 'ACCOUNT_DELETED',
    CurrencyMismatch: 'CURRENCY_MISMATCH',
    ImportClosed: 'IMPORT_CLOSED',
  },
});
