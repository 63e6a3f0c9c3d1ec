/**
 * Whether text is written as a uuid, as Postgres's `uuid` type accepts it. Ids are checked before they reach a
 * uuid column: Postgres refuses any other text with an error, where "no such record" is the answer people expect.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: string): boolean => UUID.test(text);
