// What every interop script shares: its one-line JSON result, its inputs from the environment, timeouts, and the
// redaction of tokens (a script reports a token's format, never the token).

/** Prints {"ok": false, "error": message, ...details} as the script's result line and exits 1. */
export function fail(message, details = {}) {
  console.log(JSON.stringify({ ok: false, error: message, ...details }));
  process.exit(1);
}

/** Fails the script at once, with {@code details} in its result, unless {@code condition} holds. */
export function check(condition, message, details) {
  if (!condition) {
    fail(message, details);
  }
}

/**
 * As {@link check}, but throws (with {@code details} on the error) instead of exiting, for scripts that must clean
 * up (close a session, stop a device) before they report.
 */
export function checkOrThrow(condition, message, details) {
  if (!condition) {
    throw Object.assign(new Error(message), { details });
  }
}

/** A required input from the environment; fails the script when it is missing. */
export function env(name) {
  const value = process.env[name];
  if (!value) {
    fail(`environment variable ${name} is not set`);
  }
  return value;
}

/** {@code promise}, or a rejection naming {@code what} after {@code ms} milliseconds. */
export function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A token with everything after its type prefix masked: its format, without the secret. */
export function shapeOf(token) {
  return token.slice(0, 4) + token.slice(4).replace(/[A-Za-z0-9]/g, "x");
}

/** A random device ID of {@code length} capital letters. */
export function newDeviceId(length) {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => letters[b % 26]).join("");
}

/**
 * For a script that reports step by step: {@code progress} is {step, observed}; {@code stop} fails the script with
 * the step it was at and everything observed so far, {@code need} stops it unless its condition holds.
 */
export function reporting(progress) {
  const stop = (message, details = {}) => fail(message, { step: progress.step, ...details, observed: progress.observed });
  const need = (condition, message, details) => {
    if (!condition) {
      stop(message, details);
    }
  };
  return { stop, need };
}

/** {status, errcode, error} of a matrix-js-sdk call that threw a MatrixError (or the error's text). */
export function failureOf(e) {
  if (e?.httpStatus !== undefined) {
    return { status: e.httpStatus, errcode: e.errcode, error: e.data?.error };
  }
  return { status: null, error: String(e?.stack ?? e) };
}

/** {status: 200, value} of a call that succeeded, or its failure ({@link failureOf}): the outcome, whatever it is. */
export async function outcome(call) {
  try {
    return { status: 200, value: await call() };
  } catch (e) {
    return failureOf(e);
  }
}
