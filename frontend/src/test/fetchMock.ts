import { vi } from "vitest";

/** One request the app made, decoded for assertions. */
export interface Call {
  method: string;
  url: URL;
  /** Path without the query string, e.g. "/api/v1/me". */
  path: string;
  headers: Headers;
  body: string | null;
  credentials: RequestCredentials | undefined;
}

type Handler = (call: Call) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function problem(
  status: number,
  fields: { title?: string; detail?: string; errors?: { loc: (string | number)[]; msg: string; type: string }[] } = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(
    JSON.stringify({ type: "about:blank", title: fields.title ?? "Error", status, ...fields }),
    { status, headers: { "Content-Type": "application/problem+json", ...headers } },
  );
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 204, headers });
}

/**
 * A fake API behind `fetch`. `on(method, path, ...handlers)` answers successive matching calls
 * with successive handlers (the last one repeats). Unmatched calls fail the test loudly.
 */
export function mockApi() {
  const routes = new Map<string, { handlers: Handler[]; used: number }>();
  const calls: Call[] = [];

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : null;
    const href = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
    const url = new URL(href, "http://localhost");
    const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    const rawBody = init?.body ?? (request ? (await request.clone().text()) || null : null);
    const call: Call = {
      method,
      url,
      path: url.pathname,
      headers: new Headers(init?.headers ?? request?.headers),
      body: typeof rawBody === "string" || rawBody === null ? rawBody : rawBody instanceof URLSearchParams ? rawBody.toString() : "[binary body]",
      credentials: init?.credentials ?? request?.credentials,
    };
    calls.push(call);
    const route = routes.get(`${method} ${url.pathname}`);
    if (!route) throw new Error(`Unexpected request: ${method} ${url.pathname}${url.search}`);
    const handler = route.handlers[Math.min(route.used, route.handlers.length - 1)];
    route.used += 1;
    if (!handler) throw new Error(`No handler for ${method} ${url.pathname}`);
    return handler(call);
  });

  vi.stubGlobal("fetch", fetchMock);

  return {
    calls,
    fetch: fetchMock,
    on(method: string, path: string, ...handlers: Handler[]) {
      routes.set(`${method.toUpperCase()} ${path}`, { handlers, used: 0 });
      return this;
    },
    /** The calls to one endpoint, in order. */
    callsTo(method: string, path: string): Call[] {
      return calls.filter((call) => call.method === method.toUpperCase() && call.path === path);
    },
  };
}

export type MockApi = ReturnType<typeof mockApi>;
