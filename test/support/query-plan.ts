/** A node of a plan as EXPLAIN (FORMAT JSON) gives it. */
export type PlanNode = Record<string, unknown>;

/** The plan of `EXPLAIN (…, FORMAT JSON)`'s one row. */
export function planOf(row: Record<string, unknown>): PlanNode {
  return (row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
}

/** A plan's node and every node under it, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...((plan.Plans as PlanNode[] | undefined) ?? []).flatMap(planNodes)];
}
