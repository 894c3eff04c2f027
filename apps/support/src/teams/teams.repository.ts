import { Injectable } from '@nestjs/common';
import type { ListTeamsRequest, SetTeamMemberRequest } from '@steward/contracts';
import { idCursor, insertRow, presentColumns, returnedRows, Tx, updateRow } from '@steward/persistence';
import type { Candidate } from '../domain/assignment';

export interface TeamRow {
  id: string;
  name: string;
  kind: string;
  queue: string;
  region: string | null;
  calendar: string | null;
  assignment: 'round-robin' | 'least-loaded' | 'manual';
  createdAt: Date;
  updatedAt: Date;
}
export interface MemberRow {
  teamId: string;
  userId: string;
  skills: string[];
  capacity: number;
  active: boolean;
  openTickets: number;
}

const TEAM = `id, name, kind, queue, region, calendar, assignment, created_at AS "createdAt", updated_at AS "updatedAt"`;
const TEAM_COLUMNS = { name: 'name', region: 'region', calendar: 'calendar', assignment: 'assignment' } as const;

/** Teams (one per queue), their members, and the open-ticket load of each agent. */
@Injectable()
export class TeamsRepository {
  async insert(tx: Tx, t: Omit<TeamRow, 'createdAt' | 'updatedAt'> & { at: Date }): Promise<TeamRow> {
    const [row] = await insertRow<TeamRow>(
      tx,
      'support.teams',
      { id: t.id, tenant_id: tx.scope.tenantId, name: t.name, kind: t.kind, queue: t.queue, region: t.region, calendar: t.calendar, assignment: t.assignment, created_at: t.at, updated_at: t.at },
      TEAM,
    );
    return row;
  }

  async update(tx: Tx, id: string, values: Partial<Record<keyof typeof TEAM_COLUMNS, unknown>>): Promise<boolean> {
    return (await updateRow(tx, 'support.teams', id, presentColumns(TEAM_COLUMNS, values))) > 0;
  }

  async find(tx: Tx, id: string): Promise<TeamRow | null> {
    const [row]: TeamRow[] = await tx.query(`SELECT ${TEAM} FROM support.teams WHERE id = $1`, [id]);
    return row ?? null;
  }

  async byQueue(tx: Tx, queue: string): Promise<TeamRow | null> {
    const [row]: TeamRow[] = await tx.query(`SELECT ${TEAM} FROM support.teams WHERE queue = $1`, [queue]);
    return row ?? null;
  }

  async list(tx: Tx, q: ListTeamsRequest): Promise<TeamRow[]> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    return tx.query(`SELECT ${TEAM} FROM support.teams WHERE ($2::uuid IS NULL OR id > $2) AND ($3::text IS NULL OR queue = $3) ORDER BY id LIMIT $1`, [q.limit + 1, cursor, q.queue ?? null]);
  }

  async members(tx: Tx, teamIds: string[]): Promise<MemberRow[]> {
    if (teamIds.length === 0) return [];
    return tx.query(
      `SELECT m.team_id AS "teamId", m.user_id AS "userId", m.skills, m.capacity, m.active, coalesce(l.open, 0) AS "openTickets"
       FROM support.team_members m LEFT JOIN support.agent_load l ON l.tenant_id = m.tenant_id AND l.user_id = m.user_id
       WHERE m.team_id = ANY($1::uuid[]) ORDER BY m.added_at, m.user_id`,
      [teamIds],
    );
  }

  async setMember(tx: Tx, m: SetTeamMemberRequest, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO support.team_members (tenant_id, team_id, user_id, skills, capacity, active, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (team_id, user_id) DO UPDATE SET skills = EXCLUDED.skills, capacity = EXCLUDED.capacity, active = EXCLUDED.active`,
      [tx.scope.tenantId, m.teamId, m.userId, m.skills, m.capacity, m.active, at],
    );
  }

  async removeMember(tx: Tx, teamId: string, userId: string): Promise<boolean> {
    return returnedRows(await tx.query(`DELETE FROM support.team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id`, [teamId, userId])).length > 0;
  }

  /** The team's members as the queue weighs them. */
  async candidates(tx: Tx, teamId: string): Promise<Candidate[]> {
    const rows: Array<Omit<Candidate, 'lastAssignedAt'> & { lastAssignedAt: Date | null }> = await tx.query(
      `SELECT m.user_id AS "userId", m.skills, m.capacity, m.active, coalesce(l.open, 0) AS open, m.last_assigned_at AS "lastAssignedAt"
       FROM support.team_members m LEFT JOIN support.agent_load l ON l.tenant_id = m.tenant_id AND l.user_id = m.user_id
       WHERE m.team_id = $1`,
      [teamId],
    );
    return rows.map((r) => ({ ...r, open: Number(r.open), lastAssignedAt: r.lastAssignedAt ? new Date(r.lastAssignedAt).toISOString() : null }));
  }

  async markAssigned(tx: Tx, teamId: string, userId: string, at: Date): Promise<void> {
    await tx.query(`UPDATE support.team_members SET last_assigned_at = $3 WHERE team_id = $1 AND user_id = $2`, [teamId, userId, at]);
  }

  /** Moves one open ticket from one agent's load to another's (either may be null). */
  async moveLoad(tx: Tx, from: string | null, to: string | null): Promise<void> {
    if (from === to) return;
    if (from) await tx.query(`UPDATE support.agent_load SET open = greatest(open - 1, 0) WHERE user_id = $1`, [from]);
    if (to) {
      await tx.query(`INSERT INTO support.agent_load (tenant_id, user_id, open) VALUES ($1, $2, 1) ON CONFLICT (tenant_id, user_id) DO UPDATE SET open = support.agent_load.open + 1`, [
        tx.scope.tenantId,
        to,
      ]);
    }
  }
}
