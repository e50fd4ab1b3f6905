// The one API contract between the renderer and main. Every request is one
// entry in the area it belongs to (catalog, trial, lesions, reads, exports):
// a runtime schema for its payload and one for its answer. This module joins
// the areas into the one table that both transports (Electron IPC and the
// loopback HTTP host) loop over, so adding a request is an entry in its area
// and a service in main, never per-transport code.
import { z } from 'zod';
import { catalogRequests } from './catalog';
import { derivedRequests } from './derived';
import { exportRequests } from './exports';
import { lesionRequests } from './lesions';
import { readRequests } from './reads';
import { trialRequests } from './trial';

export const contract = { ...catalogRequests, ...trialRequests, ...lesionRequests, ...derivedRequests, ...readRequests, ...exportRequests } as const;

export type Contract = typeof contract;

/** True for requests that change the store: refused while an idle reader's session is locked. */
export function changesStore(name: RequestName): boolean {
  return 'changes' in contract[name];
}
export type RequestName = keyof Contract;
/** What a client sends. */
export type RequestOf<K extends RequestName> = z.input<Contract[K]['request']>;
/** What a service receives: the request as the contract's schema parsed it. */
export type ParsedRequestOf<K extends RequestName> = z.output<Contract[K]['request']>;
export type ResponseOf<K extends RequestName> = z.output<Contract[K]['response']>;

export const requestNames = Object.keys(contract) as RequestName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/**
 * Why a request failed, in words a reader can act on. forbidden: a wrong
 * secret, or a role that may not do this; conflict: not now (a signed read,
 * no reader chosen yet); reauthenticate: the reader's session was idle past
 * the trial's limit and the change needs their secret again.
 */
export const ErrorCode = z.enum(['invalid_request', 'forbidden', 'not_found', 'conflict', 'unsupported', 'failed', 'reauthenticate']);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.strictObject({ code: ErrorCode, message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

/** What every transport carries back: never a thrown error across the boundary. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError };

export * from './common';
export * from './settings';
export * from './catalog';
export * from './trial';
export * from './lesions';
export * from './derived';
export * from './reads';
export * from './exports';
export { DERIVED_PATH, type DerivedKind, derivedPath, INSTANCE_PATH, IPC_PREFIX, instancePath } from '../channels';
