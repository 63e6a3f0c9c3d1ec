import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { api } from './browser.js';
import './provided.js';

// What the operations pages' browser tests share: people to sign in as (made through the users API with the
// lane's admin token), and a page signed in as one of them through the sign-in page.

export interface Person {
  id: string;
  email: string;
  password: string;
}

export async function createPerson(
  email: string,
  role: 'admin' | 'ops' | 'manager' | 'csm' | 'viewer',
  extra: { name?: string; managerId?: string } = {},
): Promise<Person> {
  const password = randomBytes(12).toString('hex');
  const res = await api('POST', '/api/users', { email, role, password, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, email, password };
}

/** A fresh browser context signed in as `person` through the sign-in page, then at `route`. */
export async function openPageAs(browser: Browser, route: string, person: { email: string; password: string }) {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, baseURL: inject('apiUrl') });
  const page: Page = await context.newPage();
  await page.goto(route);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return page;
}

/** Calls the API as the lane's admin and fails the test on anything but 2xx, naming the call. */
export async function ok(method: string, path: string, body?: unknown) {
  const res = await api(method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}
