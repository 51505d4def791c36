import { Client, ConnectionLike } from '@temporalio/client';
import { dataConverter } from './codec';
import { temporalConfig } from './config';

/**
 * The one way a process builds its Temporal client: the configured namespace and the payload
 * codec, so what it starts is encrypted and what it reads back (query answers, results) is
 * readable. A client without the codec cannot read a journey's answers.
 */
export function temporalClient(connection: ConnectionLike, config = temporalConfig()): Client {
  return new Client({ connection, namespace: config.namespace, dataConverter: dataConverter() });
}
