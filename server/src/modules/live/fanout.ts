import type { Principal } from '../../../../shared/src/auth.ts';
import {
  eventInArea,
  LIVE_TOPICS,
  type LiveEvent,
  type LiveTopic,
} from '../../../../shared/src/schemas/live.ts';

/** What one socket receives: an area inside its scope, some topics, and for department handlers their department's hazards. */
export interface Subscription {
  area: string;
  topics: LiveTopic[];
  /** department handlers see only hazards escalated to their department */
  department: Principal['department'];
}

export function subscriptionKey(sub: Subscription): string {
  return `${sub.area}|${[...sub.topics].sort().join(',')}|${sub.department ?? ''}`;
}

export function subscriptionFor(principal: Principal, area?: string, topics?: LiveTopic[]): Subscription {
  return {
    area: area ?? principal.scope,
    topics: topics && topics.length > 0 ? [...new Set(topics)] : [...LIVE_TOPICS],
    department: principal.role === 'department_handler' ? principal.department : null,
  };
}

export function eventMatches(sub: Subscription, event: LiveEvent): boolean {
  if (!sub.topics.includes(event.topic)) return false;
  if (!eventInArea(sub.area, event)) return false;
  if (sub.department && event.topic === 'hazard' && event.department !== sub.department) return false;
  return true;
}

/** The events of a batch one subscription receives, in order. */
export function filterBatch(sub: Subscription, events: readonly LiveEvent[]): LiveEvent[] {
  return events.filter((e) => eventMatches(sub, e));
}
