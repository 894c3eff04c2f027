// What support knows of other services' facts, as its read models hold them.

/** An account as support knows it (accounts' events). */
export interface KnownAccount {
  id: string;
  name: string;
  region: string | null;
  tier: 1 | 2 | 3;
  leadChannel: string;
  leadPartnerId: string | null;
  csmId: string | null;
  strategic: boolean;
  deleted: boolean;
}
export interface KnownProject {
  id: string;
  accountId: string;
  kind: string;
  size: string;
  lead: string;
  region: string | null;
  deleted: boolean;
}
export interface KnownUser {
  id: string;
  name: string;
  role: string;
  active: boolean;
}
export interface KnownEntitlement {
  supportLevel: string | null;
  slaTargets: Record<string, Record<string, number>>;
}

