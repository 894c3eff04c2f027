import { BUYING_ROLES, buildGraph, contactRows, flatten, X_STEP, Y_STEP, type StakeholderNodeLike } from './account-graph';

function node(id: string, over: Partial<StakeholderNodeLike> = {}, reports: StakeholderNodeLike[] = []): StakeholderNodeLike {
  return { id, name: `N ${id}`, title: null, department: null, buyingRole: 'influencer', influence: 'medium', reportsToId: null, engaged: false, depth: 0, hiddenInfluencer: false, reports, ...over };
}

// ceo ─┬─ cfo ─── buyer
//      └─ cto ─┬─ lead (hidden influencer)
//              └─ dev
// partner (a second root)
function sample(): StakeholderNodeLike[] {
  const buyer = node('buyer', { buyingRole: 'economic-buyer', reportsToId: 'cfo', depth: 2 });
  const cfo = node('cfo', { buyingRole: 'economic-buyer', influence: 'high', reportsToId: 'ceo', depth: 1, engaged: true }, [buyer]);
  const lead = node('lead', { buyingRole: 'end-user', influence: 'high', reportsToId: 'cto', depth: 2, hiddenInfluencer: true });
  const dev = node('dev', { buyingRole: 'end-user', influence: 'low', reportsToId: 'cto', depth: 2 });
  const cto = node('cto', { buyingRole: 'champion', reportsToId: 'ceo', depth: 1, engaged: true }, [lead, dev]);
  const ceo = node('ceo', { buyingRole: 'decision-maker', influence: 'high' }, [cfo, cto]);
  const partner = node('partner', { buyingRole: 'blocker', influence: 'high' });
  return [ceo, partner];
}

describe('flatten', () => {
  it('lists every contact, a boss before its reports, in the API order', () => {
    expect(flatten(sample()).map((n) => n.id)).toEqual(['ceo', 'cfo', 'buyer', 'cto', 'lead', 'dev', 'partner']);
    expect(flatten([])).toEqual([]);
  });

  it('survives a very deep chain (no recursion)', () => {
    let leaf = node('n0');
    for (let i = 1; i < 20000; i++) leaf = node(`n${i}`, {}, [leaf]);
    expect(flatten([leaf])).toHaveLength(20000);
    expect(buildGraph([leaf]).nodes).toHaveLength(20000);
  });
});

describe('contactRows', () => {
  it('names the boss and the gaps of each contact, and marks hidden influencers', () => {
    const rows = contactRows(sample(), [
      { code: 'hidden-influencer', contactIds: ['lead', 'dev'] },
      { code: 'blocker-unaddressed', contactIds: ['partner'] },
      { code: 'no-champion', contactIds: [] },
    ]);
    const by = new Map(rows.map((r) => [r.id, r]));
    expect(by.get('ceo')).toMatchObject({ reportsTo: null, gaps: [], hiddenInfluencer: false });
    expect(by.get('buyer')).toMatchObject({ reportsTo: 'N cfo', depth: 2 });
    expect(by.get('lead')).toMatchObject({ reportsTo: 'N cto', hiddenInfluencer: true, gaps: ['hidden-influencer'] });
    expect(by.get('dev')).toMatchObject({ hiddenInfluencer: true });
    expect(by.get('partner')).toMatchObject({ gaps: ['blocker-unaddressed'] });
  });
});

describe('buildGraph', () => {
  const graph = buildGraph(sample(), [{ code: 'hidden-influencer', contactIds: ['lead'] }]);
  const at = (id: string) => graph.nodes.find((n) => n.id === id)!;

  it('has a node per contact and an edge per reporting line, boss → report', () => {
    expect(graph.nodes).toHaveLength(7);
    expect(graph.links).toEqual([
      { source: 'ceo', target: 'cfo' },
      { source: 'ceo', target: 'cto' },
      { source: 'cfo', target: 'buyer' },
      { source: 'cto', target: 'lead' },
      { source: 'cto', target: 'dev' },
    ]);
  });

  it('colours by buying role and sizes by influence', () => {
    expect(graph.categories).toEqual([...BUYING_ROLES]);
    expect(graph.categories[at('ceo').category]).toBe('decision-maker');
    expect(graph.categories[at('partner').category]).toBe('blocker');
    expect(at('ceo').symbolSize).toBeGreaterThan(at('cto').symbolSize);
    expect(at('cto').symbolSize).toBeGreaterThan(at('dev').symbolSize);
  });

  it('highlights hidden influencers only', () => {
    expect(graph.nodes.filter((n) => n.highlighted).map((n) => n.id)).toEqual(['lead']);
  });

  it('places a tidy tree: one row per level, leaves side by side, a boss centred over its reports', () => {
    expect(at('ceo').y).toBe(0);
    expect(at('cfo').y).toBe(Y_STEP);
    expect(at('dev').y).toBe(2 * Y_STEP);
    expect([at('buyer').x, at('lead').x, at('dev').x, at('partner').x]).toEqual([0, X_STEP, 2 * X_STEP, 3 * X_STEP]);
    expect(at('cto').x).toBe(1.5 * X_STEP);
    expect(at('cfo').x).toBe(at('buyer').x);
    expect(at('ceo').x).toBe((at('cfo').x + at('cto').x) / 2);
  });

  it('puts an unknown buying role in an extra category', () => {
    const g = buildGraph([node('x', { buyingRole: 'sponsor' })]);
    expect(g.categories[g.nodes[0].category]).toBe('other');
  });
});
