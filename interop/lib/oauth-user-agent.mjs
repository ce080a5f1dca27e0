// The person in front of the browser, for the OAuth interop scripts: a user agent without JavaScript that opens
// the authorization URL a client library built, follows the server's redirects, keeps its cookies, reads the
// forms on the pages it lands on (sign-in, consent) and submits them as a person would, hidden inputs (CSRF
// token, request id) included, until the server redirects to the client's redirect URI. Nothing here knows an
// OAuth parameter: the client library builds the request and reads the answer.

/** The forms of a server-rendered page: action, method, and the named inputs with their values. */
export function formsOf(html) {
  const forms = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attributes = attributesOf(match[1]);
    const fields = {};
    for (const input of match[2].matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributesOf(input[1]);
      if (a.name !== undefined) {
        fields[a.name] = a.value ?? "";
      }
    }
    const buttons = [...match[2].matchAll(/<button\b([^>]*)>/gi)].map((b) => attributesOf(b[1]))
      .filter((b) => b.name !== undefined);
    forms.push({ action: attributes.action ?? "", method: (attributes.method ?? "get").toLowerCase(), fields, buttons });
  }
  return forms;
}

function attributesOf(text) {
  const attributes = {};
  for (const a of text.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attributes[a[1].toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
  }
  return attributes;
}

function decodeEntities(text) {
  return text.replace(/&quot;/g, "\"").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export class UserAgent {
  constructor({ username, password }) {
    this.username = username;
    this.password = password;
    this.cookies = new Map();
    // What happened, for the script's result: "GET /path 303", "POST /login 303", ...
    this.steps = [];
  }

  async #request(url, { method = "GET", form } = {}) {
    const headers = { accept: "text/html" };
    if (this.cookies.size > 0) {
      // The server's cookies are Secure; browsers send Secure cookies to loopback over plain http (a secure
      // context), and so does this user agent. All requests go to the one server, so no domain matching.
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    }
    let body;
    if (form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
    const text = await response.text();
    this.steps.push(`${method} ${new URL(url).pathname} ${response.status}`);
    return { status: response.status, location: response.headers.get("location"), text, url };
  }

  /**
   * Opens {@code authorizationUrl} and goes through the pages until the server sends the browser to
   * {@code redirectUri}; returns that URL (with code, state and iss). Signs in with the form on the sign-in page
   * and allows on the consent page. Fails on any other page or status.
   */
  async authorize(authorizationUrl, redirectUri) {
    let response = await this.#request(authorizationUrl);
    for (let hops = 0; hops < 12; hops++) {
      if (response.status >= 300 && response.status < 400) {
        const next = new URL(response.location, response.url).href;
        if (next.startsWith(redirectUri)) {
          this.steps.push(`-> redirect URI`);
          return new URL(next);
        }
        response = await this.#request(next);
        continue;
      }
      if (response.status !== 200) {
        throw new Error(`the authorization went to a ${response.status} page at ${response.url}: ${response.text.slice(0, 300)}`);
      }
      response = await this.#submitPage(response);
    }
    throw new Error(`too many hops: ${this.steps.join(", ")}`);
  }

  async #submitPage(page) {
    const forms = formsOf(page.text).filter((f) => f.method === "post");
    const signIn = forms.find((f) => "username" in f.fields && "password" in f.fields);
    if (signIn) {
      return this.#request(new URL(signIn.action, page.url).href,
        { method: "POST", form: { ...signIn.fields, username: this.username, password: this.password } });
    }
    const consent = forms.find((f) => f.buttons.some((b) => b.value === "allow"));
    if (consent) {
      const allow = consent.buttons.find((b) => b.value === "allow");
      return this.#request(new URL(consent.action, page.url).href,
        { method: "POST", form: { ...consent.fields, [allow.name]: allow.value } });
    }
    throw new Error(`a page with neither a sign-in nor a consent form at ${page.url}: ${page.text.slice(0, 300)}`);
  }
}
