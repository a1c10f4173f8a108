/**
 * The browser's side of the fleet views: the API calls and their query hooks. The fleet
 * overview is polled (every replicator's hub already polls; this reads its last answer).
 */
import { useQuery } from '@tanstack/react-query';

import { request, type UsersQuery } from './api-client';
import type { ReplicatorState } from './api-types';
import type {
  DisagreementsAnswer,
  FleetAnswer,
  FleetUsersPage,
  PairUserAnswer,
  ReplicatorInfo,
} from './fleet-types';

export type ListedReplicator = ReplicatorState & ReplicatorInfo;

const FLEET_REFRESH_MS = 2_000;

export const fleetApi = {
  replicators: () => request<{ replicators: ListedReplicator[] }>('/api/v1/replicators'),
  fleet: () => request<FleetAnswer>('/api/v1/fleet'),
  users: (query: UsersQuery) => {
    const params = new URLSearchParams({
      mask: query.mask, offset: String(query.offset), limit: String(query.limit),
      sort: query.sort, order: query.order,
    });
    if (query.fresh === true) params.set('fresh', 'true');
    return request<FleetUsersPage>(`/api/v1/fleet/users?${params}`);
  },
  pairUser: (pair: string, username: string) => request<PairUserAnswer>(
    `/api/v1/pairs/${encodeURIComponent(pair)}/users/${encodeURIComponent(username)}`),
  disagreements: (pair: string, behindSeconds?: number) => {
    const params = new URLSearchParams({ limit: '1000' });
    if (behindSeconds !== undefined) params.set('behindSeconds', String(behindSeconds));
    return request<DisagreementsAnswer>(
      `/api/v1/pairs/${encodeURIComponent(pair)}/disagreements?${params}`);
  },
};

/** The listing's replicators with their state, for the switcher. */
export function useReplicatorList() {
  return useQuery({
    queryKey: ['fleet', 'replicators'],
    queryFn: fleetApi.replicators,
    refetchInterval: FLEET_REFRESH_MS * 5,
  });
}

export function useFleet() {
  return useQuery({
    queryKey: ['fleet', 'overview'],
    queryFn: fleetApi.fleet,
    refetchInterval: FLEET_REFRESH_MS,
  });
}

/** Every fleet search's queries sit under this key. */
export const FLEET_USERS_KEY = ['fleet', 'users'] as const;

export function useFleetUsers(query: UsersQuery | null) {
  return useQuery({
    queryKey: [...FLEET_USERS_KEY, query],
    queryFn: () => fleetApi.users(query!),
    enabled: query !== null,
  });
}

export function usePairUser(pair: string | undefined, username: string) {
  return useQuery({
    queryKey: ['fleet', 'pair', pair, 'user', username],
    queryFn: () => fleetApi.pairUser(pair!, username),
    enabled: pair !== undefined,
    refetchInterval: FLEET_REFRESH_MS * 2.5,
  });
}

export function useDisagreements(pair: string, behindSeconds: number | undefined) {
  return useQuery({
    queryKey: ['fleet', 'pair', pair, 'disagreements', behindSeconds],
    queryFn: () => fleetApi.disagreements(pair, behindSeconds),
    refetchInterval: FLEET_REFRESH_MS * 5,
  });
}

export const FLEET_PATH = '/fleet';

export function fleetUsersPath(mask?: string): string {
  return mask === undefined ? '/fleet/users' : `/fleet/users?mask=${encodeURIComponent(mask)}`;
}

export function pairPath(pair: string): string {
  return `/fleet/pairs/${encodeURIComponent(pair)}`;
}
