// What the stack deploys and the local runners mirror, apart from the constructs: reading these does
// not load the CDK (a simulation worker or a test that finds the workflow cached never loads it).

/** Metadata key that names the handler a function runs: how the local engine binds Task states. */
export const HANDLER_METADATA = 'collections:handler';

/**
 * Receives of a failing inbound message before it moves to the dead-letter queue; the local runners use it too.
 * Two minutes apart (the visibility timeout), ten last 18 minutes: more than the 15 an event is held for its cycle.
 */
export const INBOUND_MAX_RECEIVES = 10;
