import { queryString } from '../api.js';

// Where each dashboard number leads: the list the API serves with the same filters the number was counted with.

type Params = Record<string, string | number | undefined | null>;
export const accountsLink = (owner: string | null, filters: Params) => `/accounts${queryString({ ...filters, owner })}`;
export const runsLink = (owner: string | null, filters: Params) => `/runs${queryString({ ...filters, owner })}`;
export const emailsLink = (owner: string | null, filters: Params) => `/outbox${queryString({ ...filters, owner })}`;
