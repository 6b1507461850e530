import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { json, mockApi, noContent, problem } from "../../test/fetchMock";
import { channels } from "../../test/notificationFixtures";
import { asSignedIn, renderApp } from "../../test/renderApp";

const PREFS = "/api/v1/me/notification-preferences";
const SETTINGS = "/api/v1/me/notification-settings";
const DEVICES = "/api/v1/me/devices";
const KEY = "/api/v1/push/vapid-public-key";
const ENDPOINT = "https://push.example.com/send/this-browser";
// A real P-256 public key (base64url, 65 bytes uncompressed).
const PUBLIC_KEY = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const KEYS = { p256dh: "BPmWsEo7TgVqz9aO1ZzG8fUcVqL3xk8s9hQ2q6W7y5bE", auth: "8eDyX_uCN0XRhSbY5hs7Hg" };
const DEVICE = {
  id: "0193a6c0-0000-7000-8000-000000000001",
  platform: "webpush",
  name: "Chrome on Linux",
  endpoint: ENDPOINT,
  token_hint: null,
  created_at: "2026-12-07T10:00:00Z",
  updated_at: "2026-12-07T10:00:00Z",
};

interface FakeBrowser {
  subscribe: ReturnType<typeof vi.fn>;
  unsubscribe: ReturnType<typeof vi.fn>;
  register: ReturnType<typeof vi.fn>;
  requestPermission: ReturnType<typeof vi.fn>;
}

/** A browser with service workers, the Push API and notifications (jsdom has none of them). */
function fakeBrowser({
  permission = "default",
  answer = "granted",
  subscribed = false,
}: { permission?: NotificationPermission; answer?: NotificationPermission; subscribed?: boolean } = {}): FakeBrowser {
  const unsubscribe = vi.fn(() => {
    current = null;
    return Promise.resolve(true);
  });
  const subscription = { endpoint: ENDPOINT, toJSON: () => ({ endpoint: ENDPOINT, keys: KEYS }), unsubscribe };
  let current: typeof subscription | null = subscribed ? subscription : null;
  const subscribe = vi.fn(() => {
    current = subscription;
    return Promise.resolve(subscription);
  });
  const registration = { pushManager: { getSubscription: () => Promise.resolve(current), subscribe } };
  let registered = subscribed;
  const register = vi.fn(() => {
    registered = true;
    return Promise.resolve(registration);
  });
  Object.defineProperty(navigator, "serviceWorker", {
    configurable: true,
    value: {
      getRegistration: () => Promise.resolve(registered ? registration : undefined),
      register,
      ready: Promise.resolve(registration),
    },
  });
  const notification = {
    permission,
    requestPermission: vi.fn(() => {
      notification.permission = answer;
      return Promise.resolve(answer);
    }),
  };
  vi.stubGlobal("Notification", notification);
  vi.stubGlobal("PushManager", function PushManager() {
    return undefined;
  });
  vi.stubGlobal("isSecureContext", true);
  return { subscribe, unsubscribe, register, requestPermission: notification.requestPermission };
}

function settingsApi() {
  return asSignedIn(mockApi())
    .on("GET", PREFS, () => json(200, { preferences: [channels("mention")] }))
    .on("GET", SETTINGS, () => json(200, { email_digest: "off", email_on_mention: true, email_on_mentorship: true }));
}

afterEach(() => {
  Reflect.deleteProperty(navigator, "serviceWorker");
});

describe("notify me on this device", () => {
  it("says so where the browser cannot receive pushes", async () => {
    settingsApi();
    renderApp("/settings/notifications");

    expect(await screen.findByText(/This browser can’t receive push notifications/)).toBeInTheDocument();
    expect(screen.queryByRole("switch", { name: "Notify me on this device" })).not.toBeInTheDocument();
  });

  it("subscribes with the server's key, registers the subscription and shows it is on", async () => {
    const browser = fakeBrowser();
    const api = settingsApi()
      .on("GET", KEY, () => json(200, { public_key: PUBLIC_KEY }))
      .on("POST", DEVICES, () => json(201, DEVICE));
    const { user } = renderApp("/settings/notifications");

    const toggle = await screen.findByRole("switch", { name: "Notify me on this device" });
    expect(toggle).not.toBeChecked();
    expect(screen.getByText("Off: this browser gets no pushes.")).toBeInTheDocument();
    await user.click(toggle);

    expect(await screen.findByText("On: this browser gets your pushes.")).toBeInTheDocument();
    expect(screen.getByRole("switch", { name: "Notify me on this device" })).toBeChecked();
    expect(browser.requestPermission).toHaveBeenCalledOnce();
    expect(browser.register).toHaveBeenCalledWith("/sw.js", { scope: "/" });
    const options = browser.subscribe.mock.calls[0]?.[0] as PushSubscriptionOptionsInit;
    expect(options.userVisibleOnly).toBe(true);
    expect((options.applicationServerKey as Uint8Array).length).toBe(65);
    const [call] = api.callsTo("POST", DEVICES);
    expect(call?.headers.get("Idempotency-Key")).toBeTruthy();
    expect(JSON.parse(call?.body ?? "")).toMatchObject({
      platform: "webpush",
      subscription: { endpoint: ENDPOINT, keys: KEYS },
    });
  });

  it("shows a registered subscription as on, and turning it off removes it on both sides", async () => {
    const browser = fakeBrowser({ permission: "granted", subscribed: true });
    const api = settingsApi()
      .on("GET", DEVICES, () => json(200, { items: [DEVICE], next_cursor: null }))
      .on("DELETE", `${DEVICES}/${DEVICE.id}`, () => noContent());
    const { user } = renderApp("/settings/notifications");

    const toggle = await screen.findByRole("switch", { name: "Notify me on this device" });
    await waitFor(() => {
      expect(toggle).toBeChecked();
    });
    await user.click(toggle);

    expect(await screen.findByText("Off: this browser gets no pushes.")).toBeInTheDocument();
    expect(api.callsTo("DELETE", `${DEVICES}/${DEVICE.id}`)).toHaveLength(1);
    expect(browser.unsubscribe).toHaveBeenCalledOnce();
  });

  it("explains blocked notifications", async () => {
    fakeBrowser({ permission: "denied" });
    settingsApi();
    renderApp("/settings/notifications");

    expect(await screen.findByText(/Notifications are blocked for this site/)).toBeInTheDocument();
    expect(screen.queryByRole("switch")).not.toBeInTheDocument();
  });

  it("stays off and says why when registering fails", async () => {
    fakeBrowser();
    settingsApi()
      .on("GET", KEY, () => json(200, { public_key: PUBLIC_KEY }))
      .on("POST", DEVICES, () => problem(503, { title: "Service Unavailable", detail: "Try again in a minute." }));
    const { user } = renderApp("/settings/notifications");

    await user.click(await screen.findByRole("switch", { name: "Notify me on this device" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(/Try again|unavailable/i);
    expect(screen.getByRole("switch", { name: "Notify me on this device" })).not.toBeChecked();
  });

  it("says when the server has push switched off", async () => {
    fakeBrowser();
    settingsApi().on("GET", KEY, () => problem(404, { title: "Not Found", detail: "Web Push is not configured." }));
    const { user } = renderApp("/settings/notifications");

    await user.click(await screen.findByRole("switch", { name: "Notify me on this device" }));

    expect(await screen.findByText("Push notifications aren’t set up on this server.")).toBeInTheDocument();
  });
});
