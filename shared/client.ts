// The typed client of the contract, independent of the transport that
// carries it (IPC in Electron, fetch in the browser host).
import { type Envelope, type RequestName, type RequestOf, type ResponseOf, requestNames } from './contract';

export type Transport = (name: RequestName, payload: unknown) => Promise<Envelope>;

export type Client = { [K in RequestName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

/** Thrown by the client when main answers with an error envelope. */
export class ApiRequestError extends Error {
  constructor(
    readonly request: RequestName,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export function createClient(transport: Transport): Client {
  const client: Partial<Record<RequestName, (request: unknown) => Promise<unknown>>> = {};
  for (const name of requestNames) {
    client[name] = async (request) => {
      const envelope = await transport(name, request);
      if (envelope.ok) return envelope.value;
      throw new ApiRequestError(name, envelope.error.code, envelope.error.message);
    };
  }
  return client as Client;
}
