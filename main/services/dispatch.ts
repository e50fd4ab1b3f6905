// The one entry point both transports call: validate the name and payload
// against the contract, run the service, and wrap the answer in an envelope.
// Main trusts nothing from the renderer, so nothing reaches a service unchecked.
import type { z } from 'zod';
import { describeIssue } from '../../shared/issue-words';
import { UnknownActorError } from '../store/audit';
import { type ApiError, type Envelope, type ParsedRequestOf, type RequestName, type ResponseOf, contract, isRequestName } from '../../shared/contract';

/** A service per request of the contract: it receives the request as the contract parsed it. */
export type Services = { [K in RequestName]: (request: ParsedRequestOf<K>) => Promise<ResponseOf<K>> | ResponseOf<K> };

/** An error a service throws on purpose, with a message meant for the reader. */
export class ServiceError extends Error {
  constructor(
    readonly code: ApiError['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export type Dispatch = (name: unknown, payload: unknown) => Promise<Envelope>;

export interface DispatchOptions {
  log?: (line: string) => void;
  /** Runs before each valid request and may refuse it by throwing a ServiceError (a locked reader session). */
  admit?: (name: RequestName) => void;
}

export function createDispatch(services: Services, { log = () => {}, admit = () => {} }: DispatchOptions = {}): Dispatch {
  return async (name, payload) => {
    if (!isRequestName(name)) {
      return failure('invalid_request', `Unknown request "${String(name).slice(0, 80)}".`);
    }
    const parsed = contract[name].request.safeParse(payload);
    if (!parsed.success) {
      // Said the same way for every request, so that a refusal by the contract is known from one by a service.
      return failure('invalid_request', `Not accepted: ${describeIssues(parsed.error)}`);
    }
    try {
      admit(name);
      const run = services[name] as (request: unknown) => Promise<unknown> | unknown;
      const value = await run(parsed.data);
      // A response that breaks the contract is a bug in main; refuse to send it.
      const checked = contract[name].response.safeParse(value);
      if (!checked.success) {
        log(`response of ${name} broke the contract: ${describeIssues(checked.error)}`);
        return failure('failed', `${name} failed: internal error.`);
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof ServiceError) return failure(error.code, error.message);
      if (error instanceof UnknownActorError) return failure('forbidden', error.message);
      // Unexpected errors may carry paths or header values: log the kind only.
      log(`${name} failed: ${error instanceof Error ? error.name : typeof error}`);
      return failure('failed', `${name} failed: internal error.`);
    }
  };
}

function failure(code: ApiError['code'], message: string): Envelope {
  return { ok: false, error: { code, message } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map(describeIssue).join(' ');
}

