import { z } from 'zod';
import { ContactGovernance } from '../../../engine/governance/schema.js';
import { SlackSettings, SlackSettingsInput } from '../../../engine/notifications/slack-settings.js';
import { CalendarSettings, HolidayCountry, SendWindowRule } from '../../../engine/time/calendar-settings.js';
import { Weekday } from '../../../engine/playbook/durations.js';
import type { AppContext } from '../../context.js';
import { parseFrequencyCap } from '../../email/frequency-cap.js';
import {
  accountCalendar,
  getCalendars,
  getGovernance,
  holidaysOf,
  saveCalendars,
  saveGovernance,
} from '../../settings/service.js';
import { ownAccount } from '../../auth/ownership.js';
import { saveSlack, slackSettings } from '../../settings/slack.js';
import { route } from '../route.js';
import { DESIGNERS, EVERYONE } from '../roles.js';
import { AccountRef } from './accounts.js';

// Settings → Calendars and sending: business calendars, send windows and contact governance. Runs keep what these
// say at enrollment; the preview reads the same (server/settings/run-settings.ts).

const Saved = <T extends z.ZodType>(value: T, id: string) =>
  z
    .object({
      value,
      updatedAt: z.string().nullable().meta({ description: 'null: never saved; the value is the default.' }),
      updatedBy: z.string().nullable(),
    })
    .meta({ id });

const StoredCalendars = Saved(CalendarSettings, 'StoredCalendarSettings');
const StoredGovernance = Saved(ContactGovernance, 'StoredContactGovernance');

export const settingsRoutes = (ctx: AppContext) => {
  const db = ctx.database.db;
  const envCap = () => parseFrequencyCap(ctx.config.MAIL_FREQUENCY_CAP);
  return [
    route({
      method: 'get',
      path: '/api/settings/calendars',
      tag: 'settings',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Business calendars and send windows: the install’s, the overrides by segment and by account, and the account field naming a holiday country.',
      response: StoredCalendars,
      async handler() {
        return getCalendars(db);
      },
    }),
    route({
      method: 'put',
      path: '/api/settings/calendars',
      tag: 'settings',
      access: { roles: DESIGNERS, scope: 'settings:write' },
      summary:
        'Saves the business calendars and send windows. Runs enrolled from now on keep them (holidays, closures, weekends, windows); runs already going keep theirs. The preview reads them at once.',
      body: CalendarSettings,
      response: StoredCalendars,
      errors: [422],
      async handler({ body, principal }) {
        return saveCalendars(db, body, principal!);
      },
    }),
    route({
      method: 'get',
      path: '/api/settings/holidays',
      tag: 'settings',
      access: { roles: EVERYONE, scope: 'read' },
      summary: 'The public holidays of a country (or region, ES-MD) in a year, as runs would skip them.',
      query: z.object({
        country: HolidayCountry,
        year: z.coerce.number().int().min(2000).max(2100),
      }),
      response: z.object({
        country: z.string(),
        year: z.number(),
        holidays: z.array(z.object({ date: z.string(), name: z.string() })),
      }),
      errors: [422],
      async handler({ query }) {
        return { country: query.country, year: query.year, holidays: holidaysOf(query.country, query.year) };
      },
    }),
    route({
      method: 'get',
      path: '/api/accounts/:id/calendar',
      tag: 'settings',
      access: { roles: EVERYONE, scope: 'read', owner: ownAccount(db) },
      summary:
        'The calendar and send window a run of this account would keep if enrolled now: where each part comes from and every closed day.',
      params: AccountRef,
      response: z.object({
        accountId: z.string(),
        timeZone: z.string(),
        sources: z.array(z.string()),
        weekend: z.array(Weekday),
        holidayCountry: z.string().nullable(),
        closedDays: z.array(z.string()),
        sendWindow: SendWindowRule,
      }),
      errors: [404],
      async handler({ params }) {
        return accountCalendar(db, params.id);
      },
    }),
    route({
      method: 'get',
      path: '/api/settings/governance',
      tag: 'settings',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Contact governance: the frequency cap per contact across playbooks, each playbook’s priority, exemption and promotional flag, and the quiet period while a rescue is open.',
      response: StoredGovernance,
      async handler() {
        return getGovernance(db, envCap());
      },
    }),
    route({
      method: 'put',
      path: '/api/settings/governance',
      tag: 'settings',
      access: { roles: DESIGNERS, scope: 'settings:write' },
      summary:
        'Saves contact governance. The sender applies it to the next email it sends; the preview applies the same rules.',
      body: ContactGovernance,
      response: StoredGovernance,
      async handler({ body, principal }) {
        return saveGovernance(db, body, principal!, envCap());
      },
    }),
    route({
      method: 'get',
      path: '/api/settings/slack',
      tag: 'settings',
      access: { roles: EVERYONE, scope: 'read' },
      summary:
        'Whether Slack notifications are configured, from Settings or SLACK_WEBHOOK_URL; the webhook is answered masked.',
      response: SlackSettings,
      async handler() {
        return slackSettings(db, ctx.config.SLACK_WEBHOOK_URL);
      },
    }),
    route({
      method: 'put',
      path: '/api/settings/slack',
      tag: 'settings',
      access: { roles: DESIGNERS, scope: 'settings:write' },
      summary:
        'Sets the Slack incoming webhook notify steps and assignment notices post to (null: back to SLACK_WEBHOOK_URL). Refused when the outbound guard would not call it.',
      body: SlackSettingsInput,
      response: SlackSettings,
      errors: [422],
      async handler({ body, principal }) {
        return saveSlack(db, body, principal!, { envUrl: ctx.config.SLACK_WEBHOOK_URL, outbound: ctx.outbound });
      },
    }),
  ];
};
