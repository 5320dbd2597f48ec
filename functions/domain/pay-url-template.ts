// A pay link's template (docs/contract.md §3.18) and what is wrong with one: read by the pack's validation, the
// stack's props and the local commands, so it imports nothing.

export const PAY_URL_PLACEHOLDERS = ['accountId', 'amount', 'currency', 'reference'] as const;
export type Placeholder = (typeof PAY_URL_PLACEHOLDERS)[number];

/** What a `payUrl` template is wrong with, or null when it is a usable http(s) URL template. */
export const payUrlProblem = (template: string): string | null => {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1]!)
    .filter((name) => !(PAY_URL_PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    return `unknown placeholder {${unknown[0]}}: expected ${PAY_URL_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
  try {
    const url = new URL(template.replace(/\{[^}]*\}/g, 'x'));
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'expected an http or https URL';
  } catch {
    return 'expected a URL such as https://pay.example.com/?account={accountId}&amount={amount}';
  }
  return null;
};
