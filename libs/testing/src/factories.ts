import { randomBytes } from 'node:crypto';
import type { CreateTenantRequest } from '@steward/contracts';

const unique = () => randomBytes(4).toString('hex');

/** A valid tenant bootstrap request; override any field. */
export function makeTenantRequest(overrides: Partial<CreateTenantRequest> = {}): CreateTenantRequest {
  const id = unique();
  return {
    name: `Tenant ${id}`,
    slug: `tenant-${id}`,
    admin: { email: `admin-${id}@example.test`, password: 'correct horse battery', name: `Admin ${id}` },
    ...overrides,
  };
}

export function makeEmail(label = 'user'): string {
  return `${label}-${unique()}@example.test`;
}
