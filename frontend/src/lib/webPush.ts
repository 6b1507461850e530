/**
 * This browser's side of Web Push: whether it can receive pushes, the service worker
 * (`/sw.js`, at the root scope) and its push subscription. The server side is `/me/devices`.
 */

export const SERVICE_WORKER_URL = "/sw.js";

export type PushSupport = "supported" | "unsupported" | "denied";

/** Service workers, the Push API and notifications, in a secure context. */
export function pushSupport(): PushSupport {
  if (
    typeof window === "undefined" ||
    !window.isSecureContext ||
    !("serviceWorker" in navigator) ||
    !("PushManager" in window) ||
    !("Notification" in window)
  ) {
    return "unsupported";
  }
  return Notification.permission === "denied" ? "denied" : "supported";
}

/** The VAPID key (base64url) as the bytes `PushManager.subscribe` takes. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
  const text = atob(padded);
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The subscription this browser holds for this site, if any. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration("/");
  if (!registration) return null;
  return registration.pushManager.getSubscription();
}

/** Asks for permission (the browser's prompt), registers the worker and subscribes. */
export async function subscribeThisBrowser(publicKey: string): Promise<PushSubscription | "denied"> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return "denied";
  await navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: "/" });
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  if (existing) return existing;
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
}

/** What `POST /me/devices` takes from a subscription. */
export function subscriptionBody(subscription: PushSubscription) {
  const json = subscription.toJSON();
  return {
    platform: "webpush" as const,
    subscription: {
      endpoint: subscription.endpoint,
      keys: { p256dh: json.keys?.p256dh ?? "", auth: json.keys?.auth ?? "" },
    },
    name: browserName(),
  };
}

function browserName(): string {
  const agent = navigator.userAgent;
  const browser = agent.includes('Edg/')
    ? "Edge"
    : agent.includes('Firefox/')
      ? "Firefox"
      : agent.includes('Chrome/')
        ? "Chrome"
        : agent.includes('Safari/')
          ? "Safari"
          : "Browser";
  const system = agent.includes('Android')
    ? "Android"
    : /iPhone|iPad/.test(agent)
      ? "iOS"
      : agent.includes('Mac OS X')
        ? "macOS"
        : agent.includes('Windows')
          ? "Windows"
          : agent.includes('Linux')
            ? "Linux"
            : "";
  return system ? `${browser} on ${system}` : browser;
}
