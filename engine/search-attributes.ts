// The search attributes that make runs listable in Temporal's visibility ("who is waiting on what, until when").
// Pure data: workflow code and the server both read it; the server registers them at start-up.
export const searchAttributes = {
  StayflowPlaybook: 'KEYWORD',
  StayflowVersion: 'INT',
  StayflowAccount: 'KEYWORD',
  StayflowNode: 'KEYWORD',
  StayflowStatus: 'KEYWORD',
} as const;
export type SearchAttributeName = keyof typeof searchAttributes;
