// The person at the device-link page (/link, the device authorization grant's verification URI), as a browser
// without JavaScript: it keeps cookies, follows redirects, reads the forms of each page (hidden CSRF token
// included) and presses the buttons a person would press. Only standard fetch; no knowledge of Gatehouse's
// internals beyond what the pages show.

const MAX_REDIRECTS = 10;

function decodeEntities(text) {
  return text
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");
}

function attributes(tag) {
  const found = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*"([^"]*)")?/g)) {
    found[m[1].toLowerCase()] = m[2] === undefined ? "" : decodeEntities(m[2]);
  }
  return found;
}

/** The forms of an HTML page: action, method, fields (name → value) and submit buttons (text, name, value). */
export function formsOf(html) {
  const forms = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const form = attributes(m[1]);
    const fields = {};
    for (const input of m[2].matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1]);
      if (a.name) {
        fields[a.name] = a.value ?? "";
      }
    }
    const buttons = [];
    for (const b of m[2].matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const a = attributes(b[1]);
      buttons.push({ text: decodeEntities(b[2].replace(/<[^>]*>/g, "").trim()), name: a.name, value: a.value });
    }
    forms.push({ action: form.action ?? "", method: (form.method ?? "get").toLowerCase(), fields, buttons });
  }
  return forms;
}

/** The visible text of a page, tags removed, for "what did the person see" checks. */
export function textOf(html) {
  return decodeEntities(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]*>/g, " "))
    .replace(/\s+/g, " ").trim();
}

/** A cookie jar and the pages the person visited. */
export class PageBrowser {
  constructor() {
    this.cookies = new Map();
    this.visited = [];
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  remember(response) {
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair, ...attrs] = setCookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (value === "" || expired) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  /** One request and every redirect after it; returns the final page. */
  async open(url, init = {}) {
    let current = new URL(url);
    let options = init;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers = { ...(options.headers ?? {}) };
      if (this.cookies.size > 0) {
        headers.cookie = this.cookieHeader();
      }
      const response = await fetch(current, { ...options, headers, redirect: "manual" });
      this.remember(response);
      this.visited.push(`${options.method ?? "GET"} ${current.pathname} → ${response.status}`);
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current);
        options = {};
        continue;
      }
      const html = await response.text();
      return { url: current.href, status: response.status, html, text: textOf(html), forms: formsOf(html) };
    }
    throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
  }

  /** Fills the form whose button reads {@code buttonText} with {@code values} and presses that button. */
  async press(page, buttonText, values = {}) {
    const form = page.forms.find((f) => f.buttons.some((b) => b.text === buttonText));
    if (!form) {
      throw new Error(`no "${buttonText}" button on ${page.url} (status ${page.status}): ${page.text.slice(0, 300)}`);
    }
    const button = form.buttons.find((b) => b.text === buttonText);
    const body = new URLSearchParams({ ...form.fields, ...values });
    if (button.name) {
      body.set(button.name, button.value ?? "");
    }
    return this.open(new URL(form.action || page.url, page.url), {
      method: form.method.toUpperCase(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  }
}

function expect(condition, message, page) {
  if (!condition) {
    throw new Error(`${message} (at ${page.url}, status ${page.status}: ${page.text.slice(0, 400)})`);
  }
}

/**
 * The person approves or denies a device on the device-link page. Starts at {@code verificationUri}: the
 * verification_uri_complete lands on the sign-in page straight away; the plain verification_uri first asks for
 * {@code userCode}, which the person types. Signs in as {@code username}, reads the confirmation page, and presses
 * "Approve" or "Deny". Returns what the confirmation page showed and the page after the decision.
 */
export async function decideOnLinkPage({ verificationUri, userCode, username, password, approve }) {
  const browser = new PageBrowser();
  let page = await browser.open(verificationUri);
  if (page.forms.some((f) => f.fields.code !== undefined)) {
    expect(userCode, "the link page asks for a code but none was given", page);
    page = await browser.press(page, "Continue", { code: userCode });
  }
  expect(page.status === 200 && page.forms.some((f) => f.fields.password !== undefined),
    "the link page did not lead to the sign-in form", page);
  page = await browser.press(page, "Sign in", { username, password });
  expect(page.status === 200, "the confirmation page did not load after signing in", page);
  const confirmation = page.text;
  const decision = approve ? "Approve" : "Deny";
  page = await browser.press(page, decision);
  expect(page.status === 200, `pressing ${decision} failed`, page);
  return { confirmation, outcome: page.text, visited: browser.visited };
}
