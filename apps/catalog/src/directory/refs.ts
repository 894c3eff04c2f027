/** An account as the catalog knows it (from accounts' events). */
export interface AccountRef {
  id: string;
  name: string;
  leadChannel: 'direct' | 'partner' | 'dealer';
  leadPartnerId: string | null;
  deleted: boolean;
}

export interface ProjectRef {
  id: string;
  accountId: string;
  deleted: boolean;
}
