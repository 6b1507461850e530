/*
 * Leaderful's service worker: shows the push notifications the server sends (Web Push,
 * decrypted by the browser) and opens the notification's page when it is clicked. It caches
 * nothing and handles no fetches: the app works exactly as it does without it.
 *
 * The push payload is JSON: {title, body, url, tag, kind}; `url` is a path of this app.
 */
self.addEventListener("install", () => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch {
      data = { body: event.data.text() };
    }
  }
  const title = typeof data.title === "string" && data.title ? data.title : "Leaderful";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: typeof data.body === "string" ? data.body : "",
      tag: typeof data.tag === "string" ? data.tag : undefined,
      icon: "/favicon.svg",
      data: { url: typeof data.url === "string" ? data.url : "/notifications" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url ?? "/notifications", self.location.origin);
  // Only this app's own pages are opened from a notification.
  const url = target.origin === self.location.origin ? target.href : new URL("/notifications", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin === self.location.origin && "focus" in client) {
          const focused = await client.focus();
          if ("navigate" in focused) {
            try {
              await focused.navigate(url);
              return;
            } catch {
              // Not controlled by this worker yet: open a new window instead.
            }
          }
        }
      }
      await self.clients.openWindow(url);
    })(),
  );
});
