// One X-Ray tracer per function (Powertools Tracer, its service from POWERTOOLS_SERVICE_NAME): the invocation and
// each AWS SDK call become subsegments of the trace Lambda starts. Powertools turns it off outside Lambda (no
// AWS_EXECUTION_ENV) or when POWERTOOLS_TRACE_ENABLED is false, and a client is then returned as it was. Only the
// Lambda entry and the AWS composition root import this module: local runs never load the X-Ray SDK, whose async
// hooks slow every await of the process.
import { Tracer } from '@aws-lambda-powertools/tracer';

let tracer: Tracer | undefined;

export const functionTracer = (): Tracer => (tracer ??= new Tracer());

/** The client, its calls traced: the one wrapping every client a function builds goes through. */
export const traced = <Client>(client: Client): Client => functionTracer().captureAWSv3Client(client);
