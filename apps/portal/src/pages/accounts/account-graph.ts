// The stakeholder map (the API's tree of reporting lines) shaped for the page: a flat list of
// contacts for the table, and nodes placed as a tree (bosses above their reports) with the edges
// of the reporting lines for the ECharts graph.

export const BUYING_ROLES = ['decision-maker', 'economic-buyer', 'champion', 'influencer', 'end-user', 'blocker'] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];
export const INFLUENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type Influence = (typeof INFLUENCE_LEVELS)[number];

/** The fields of the API's StakeholderNode the page uses. */
export interface StakeholderNodeLike {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  buyingRole: string;
  influence: string;
  reportsToId: string | null;
  engaged: boolean;
  depth: number;
  hiddenInfluencer: boolean;
  reports: StakeholderNodeLike[];
}

export interface StakeholderGapLike {
  code: string;
  contactIds: string[];
}

/** One contact as a table row: the node's own fields, its manager by name and the gaps that name it. */
export type ContactRow = Omit<StakeholderNodeLike, 'reportsToId' | 'reports'> & {
  /** Name of the contact this one reports to (null for a root). */
  reportsTo: string | null;
  /** Codes of the gaps that name this contact. */
  gaps: string[];
};

export interface GraphNode {
  id: string;
  name: string;
  /** Index in BUYING_ROLES (unknown roles: the last category, `other`). */
  category: number;
  symbolSize: number;
  x: number;
  y: number;
  engaged: boolean;
  /** High influence without a buying title (the API's flag) or named by a hidden-influencer gap. */
  highlighted: boolean;
  buyingRole: string;
  influence: string;
}

export interface GraphLink {
  /** The boss. */
  source: string;
  /** The report. */
  target: string;
}

export interface StakeholderGraph {
  nodes: GraphNode[];
  links: GraphLink[];
  /** BUYING_ROLES, then `other` when a role outside the list shows up. */
  categories: string[];
}

const SIZE: Record<string, number> = { low: 20, medium: 32, high: 46 };
/** Horizontal and vertical distance between neighbours (the graph fits itself into its box). */
export const X_STEP = 140;
export const Y_STEP = 110;

/** Every node of the tree, depth-first (a boss before its reports, reports in the API's order); no recursion. */
export function flatten(roots: readonly StakeholderNodeLike[]): StakeholderNodeLike[] {
  const out: StakeholderNodeLike[] = [];
  const stack = [...roots].reverse();
  const seen = new Set<string>();
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    out.push(node);
    for (let i = node.reports.length - 1; i >= 0; i--) stack.push(node.reports[i]);
  }
  return out;
}

/** The contacts named by each gap, by contact id. */
function gapsByContact(gaps: readonly StakeholderGapLike[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const g of gaps) for (const id of g.contactIds) by.set(id, [...(by.get(id) ?? []), g.code]);
  return by;
}

/** The table rows: depth-first order, each with the name of the boss and the gaps naming it. */
export function contactRows(roots: readonly StakeholderNodeLike[], gaps: readonly StakeholderGapLike[] = []): ContactRow[] {
  const nodes = flatten(roots);
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const byContact = gapsByContact(gaps);
  return nodes.map((n) => ({
    id: n.id,
    name: n.name,
    title: n.title,
    department: n.department,
    buyingRole: n.buyingRole,
    influence: n.influence,
    engaged: n.engaged,
    depth: n.depth,
    hiddenInfluencer: n.hiddenInfluencer || (byContact.get(n.id) ?? []).includes('hidden-influencer'),
    reportsTo: n.reportsToId ? (names.get(n.reportsToId) ?? null) : null,
    gaps: byContact.get(n.id) ?? [],
  }));
}

/**
 * The graph: one node per contact placed as a tidy tree (leaves side by side, a boss centred over
 * its reports, one row per level), an edge per reporting line, a category per buying role and a
 * size per influence.
 */
export function buildGraph(roots: readonly StakeholderNodeLike[], gaps: readonly StakeholderGapLike[] = []): StakeholderGraph {
  const hiddenIds = new Set(gaps.filter((g) => g.code === 'hidden-influencer').flatMap((g) => g.contactIds));
  const categories: string[] = [...BUYING_ROLES];
  const x = new Map<string, number>();
  const depth = new Map<string, number>();
  let nextLeaf = 0;

  // Post-order without recursion: a node is placed after all its reports.
  const seen = new Set<string>();
  const stack: Array<{ node: StakeholderNodeLike; level: number; expanded: boolean }> = [...roots].reverse().map((node) => ({ node, level: 0, expanded: false }));
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (!top.expanded) {
      top.expanded = true;
      if (seen.has(top.node.id)) {
        stack.pop();
        continue;
      }
      seen.add(top.node.id);
      depth.set(top.node.id, top.level);
      for (let i = top.node.reports.length - 1; i >= 0; i--) {
        const child = top.node.reports[i];
        if (!seen.has(child.id)) stack.push({ node: child, level: top.level + 1, expanded: false });
      }
      continue;
    }
    stack.pop();
    const placed = top.node.reports.map((c) => x.get(c.id)).filter((v): v is number => v !== undefined);
    if (placed.length === 0) x.set(top.node.id, nextLeaf++);
    else x.set(top.node.id, (Math.min(...placed) + Math.max(...placed)) / 2);
  }

  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  for (const n of flatten(roots)) {
    let category = (BUYING_ROLES as readonly string[]).indexOf(n.buyingRole);
    if (category < 0) {
      if (!categories.includes('other')) categories.push('other');
      category = categories.indexOf('other');
    }
    nodes.push({
      id: n.id,
      name: n.name,
      category,
      symbolSize: SIZE[n.influence] ?? SIZE.low,
      x: (x.get(n.id) ?? 0) * X_STEP,
      y: (depth.get(n.id) ?? 0) * Y_STEP,
      engaged: n.engaged,
      highlighted: n.hiddenInfluencer || hiddenIds.has(n.id),
      buyingRole: n.buyingRole,
      influence: n.influence,
    });
    for (const r of n.reports) links.push({ source: n.id, target: r.id });
  }
  return { nodes, links, categories };
}
