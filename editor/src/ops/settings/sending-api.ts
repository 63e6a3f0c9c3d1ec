import type { ContactGovernance } from '../../../../engine/governance/schema.js';
import type { SlackSettings, SlackSettingsInput } from '../../../../engine/notifications/slack-settings.js';
import type { CalendarSettings } from '../../../../engine/time/calendar-settings.js';
import { api } from '../../api/client.js';
import { queryString } from '../api.js';

// The calls of Settings → Calendars and sending (server/api/routes/settings.ts). A section never saved answers its
// default with updatedAt null.

export interface Stored<T> {
  value: T;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface HolidayList {
  country: string;
  year: number;
  holidays: { date: string; name: string }[];
}

export const sendingApi = {
  calendars: (signal?: AbortSignal) => api.get<Stored<CalendarSettings>>('/api/settings/calendars', signal),
  saveCalendars: (value: CalendarSettings) => api.put<Stored<CalendarSettings>>('/api/settings/calendars', value),
  governance: (signal?: AbortSignal) => api.get<Stored<ContactGovernance>>('/api/settings/governance', signal),
  saveGovernance: (value: ContactGovernance) => api.put<Stored<ContactGovernance>>('/api/settings/governance', value),
  holidays: (country: string, year: number, signal?: AbortSignal) =>
    api.get<HolidayList>(`/api/settings/holidays${queryString({ country, year })}`, signal),
  slack: (signal?: AbortSignal) => api.get<SlackSettings>('/api/settings/slack', signal),
  saveSlack: (value: SlackSettingsInput) => api.put<SlackSettings>('/api/settings/slack', value),
  playbookKeys: async (signal?: AbortSignal) =>
    (await api.get<{ items: { key: string; name: string }[] }>('/api/playbooks', signal)).items,
};
