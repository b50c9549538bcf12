// Playwright fixtures for the specs: `pair`, two people signed up through the UI, each in a browser
// context of their own (their own cookies, storage and socket), closed after the test.
import { type BrowserContext, test as base, type Page } from "@playwright/test";
import { signUp } from "./helpers";

export { expect } from "@playwright/test";

export interface Person {
  context: BrowserContext;
  page: Page;
  username: string;
  password: string;
}

interface Fixtures {
  /** The display names `pair` signs up with; `test.use({ names: ["Ana", "Eve"] })` to change them. */
  names: readonly [string, string];
  pair: [Person, Person];
}

export const test = base.extend<Fixtures>({
  names: [["Ana", "Bo"], { option: true }],
  pair: async ({ browser, names }, use) => {
    const people: Person[] = [];
    for (const name of names) {
      const context = await browser.newContext();
      const page = await context.newPage();
      people.push({ context, page, ...(await signUp(page, name)) });
    }
    await use(people as [Person, Person]);
    // A test may already have closed a context (someone leaving); closing again is harmless.
    for (const p of people) await p.context.close();
  },
});
