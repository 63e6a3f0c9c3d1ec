import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// The search attributes that make runs listable in Temporal's visibility ("who is waiting on what, until when").
// The server registers them at start-up and sets the first three when it starts a run; the run keeps the last two
// current as it moves.
export const playbookKeyAttribute = defineSearchAttributeKey('StayflowPlaybook', SearchAttributeType.KEYWORD);
export const versionAttribute = defineSearchAttributeKey('StayflowVersion', SearchAttributeType.INT);
export const accountAttribute = defineSearchAttributeKey('StayflowAccount', SearchAttributeType.KEYWORD);
export const nodeAttribute = defineSearchAttributeKey('StayflowNode', SearchAttributeType.KEYWORD);
export const statusAttribute = defineSearchAttributeKey('StayflowStatus', SearchAttributeType.KEYWORD);

/** Every key above: the list the server registers on the namespace. */
export const allSearchAttributes = [
  playbookKeyAttribute,
  versionAttribute,
  accountAttribute,
  nodeAttribute,
  statusAttribute,
];

/** What a run is doing, as a keyword for listing: waiting on time, an event or a person; or running. */
export type RunStatus =
  'running' | 'waiting-timer' | 'waiting-event' | 'waiting-approval' | 'completed' | 'exited' | 'failed';
