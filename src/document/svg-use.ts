import type { Element } from '@xmldom/xmldom';
import { GalleyError } from '../errors.js';

const XLINK_NS = 'http://www.w3.org/1999/xlink';
// Icons and diagrams nest <use> one or two levels deep and clone at most a few hundred elements;
// every level multiplies the clones, so these leave ample room while keeping Chrome's work small.
const MAX_USE_DEPTH = 4;
const MAX_USE_ELEMENTS = 10_000;

/** Elements drawn for a subtree (its own and clones), the clones alone, and the deepest <use> nesting. */
interface UseCost {
  weight: number;
  clones: number;
  depth: number;
}

/**
 * Rejects <use> references that form a cycle, nest deeper than MAX_USE_DEPTH or clone more than
 * MAX_USE_ELEMENTS elements: one depth-first walk over children and <use> targets, costing each
 * element once, without recursion (the XML may nest deeply).
 */
export function checkUses(root: Element, ids: Map<string, Element>): void {
  const costs = new Map<Element, UseCost>();
  const active = new Set<Element>();
  const stack: { element: Element; next: Element[] }[] = [];
  const enter = (element: Element): void => {
    active.add(element);
    stack.push({ element, next: [...element.children, ...[useTarget(element, ids)].filter((target) => target !== undefined)] });
  };
  enter(root);
  for (let frame = stack.at(-1); frame; frame = stack.at(-1)) {
    const next = frame.next.pop();
    const line = frame.element.lineNumber || undefined;
    if (next && active.has(next))
      throw new GalleyError(`the <use> references form a cycle through "#${next.getAttribute('id')}"`, { line });
    if (next && !costs.has(next)) enter(next);
    if (next) continue;
    stack.pop();
    active.delete(frame.element);
    const cost = costOf(frame.element, ids, costs);
    if (cost.depth > MAX_USE_DEPTH)
      throw new GalleyError(`the <use> references are nested more than ${MAX_USE_DEPTH} levels deep`, { line });
    if (cost.clones > MAX_USE_ELEMENTS)
      throw new GalleyError(`the <use> references expand to more than ${MAX_USE_ELEMENTS} elements`, { line });
    costs.set(frame.element, cost);
  }
}

/** The cost of an element whose children and <use> target are costed already. */
function costOf(element: Element, ids: Map<string, Element>, costs: Map<Element, UseCost>): UseCost {
  const target = useTarget(element, ids);
  const cloned = target ? costs.get(target) : undefined;
  const cost = { weight: 1 + (cloned?.weight ?? 0), clones: cloned?.weight ?? 0, depth: cloned ? cloned.depth + 1 : 0 };
  for (const part of [...element.children].map((child) => costs.get(child)!)) {
    cost.weight += part.weight;
    cost.clones += part.clones;
    cost.depth = Math.max(cost.depth, part.depth);
  }
  return cost;
}

/** SVG 2: `href` wins over `xlink:href`; only `#fragment` references are left by now. */
function useTarget(element: Element, ids: Map<string, Element>): Element | undefined {
  if (element.localName !== 'use') return undefined;
  const href = (element.getAttribute('href') || element.getAttributeNS(XLINK_NS, 'href') || '').trim();
  return href.startsWith('#') ? ids.get(href.slice(1)) : undefined;
}
