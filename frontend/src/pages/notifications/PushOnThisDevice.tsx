import { useEffect, useId, useState } from "react";
import { deleteDevice, getVapidPublicKey, listDevices, registerDevice } from "../../api/client";
import { ApiError, describeError } from "../../api/errors";
import { Alert } from "../../components/Alert";
import { LoadingState } from "../../components/States";
import { newIdempotencyKey } from "../../lib/idempotency";
import { currentSubscription, pushSupport, subscribeThisBrowser, subscriptionBody } from "../../lib/webPush";

/** What this browser can do and has done about pushes. */
export type PushState = "checking" | "unsupported" | "denied" | "unavailable" | "off" | "on";

async function registeredIds(endpoint: string): Promise<string[]> {
  const page = await listDevices({ limit: 100 });
  return page.items.filter((device) => device.endpoint === endpoint).map((device) => device.id);
}

/** Whether this browser's subscription (if it has one) is registered with the server. */
async function initialState(): Promise<PushState> {
  const support = pushSupport();
  if (support !== "supported") return support;
  const subscription = await currentSubscription();
  if (!subscription) return "off";
  return (await registeredIds(subscription.endpoint)).length > 0 ? "on" : "off";
}

/**
 * “Notify me on this device”: subscribes this browser to Web Push (a service worker at the
 * root) and registers the subscription as one of the caller's devices; turning it off removes
 * both. Shown as unsupported where the browser lacks service workers or the Push API.
 */
export function PushOnThisDevice() {
  const [state, setState] = useState<PushState>("checking");
  const [busy, setBusy] = useState<"on" | "off" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statusId = useId();

  useEffect(() => {
    let live = true;
    initialState().then(
      (found) => {
        if (live) setState(found);
      },
      (failure: unknown) => {
        if (!live) return;
        setState("off");
        setError(describeError(failure));
      },
    );
    return () => {
      live = false;
    };
  }, []);

  async function turnOn() {
    let key: string;
    try {
      key = await getVapidPublicKey();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) {
        setState("unavailable");
        return;
      }
      throw failure;
    }
    const subscription = await subscribeThisBrowser(key);
    if (subscription === "denied") {
      setState(pushSupport() === "denied" ? "denied" : "off");
      if (pushSupport() !== "denied") setError("Notifications were not allowed, so nothing changed.");
      return;
    }
    await registerDevice(subscriptionBody(subscription), newIdempotencyKey());
    setState("on");
  }

  async function turnOff() {
    const subscription = await currentSubscription();
    if (subscription) {
      for (const id of await registeredIds(subscription.endpoint)) await deleteDevice(id);
      await subscription.unsubscribe();
    }
    setState("off");
  }

  async function toggle(on: boolean) {
    if (busy) return;
    setBusy(on ? "on" : "off");
    setError(null);
    try {
      await (on ? turnOn() : turnOff());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="push-heading" className="stack">
      <h2 id="push-heading">Push notifications</h2>
      <p className="page__lead">
        Pushes bring the kinds ticked under “Push” below to this device, during your working hours only (a mentorship
        decision you asked for comes whenever it is made).
      </p>
      {state === "checking" ? (
        <LoadingState label="Checking this browser…" />
      ) : state === "unsupported" ? (
        <p>This browser can’t receive push notifications here (it needs service workers and the Push API, on https).</p>
      ) : state === "denied" ? (
        <Alert tone="warning">
          Notifications are blocked for this site. Allow them in your browser’s site settings, then reload this page.
        </Alert>
      ) : state === "unavailable" ? (
        <p>Push notifications aren’t set up on this server.</p>
      ) : (
        <div className="stack">
          <label className="choice">
            <input
              type="checkbox"
              role="switch"
              checked={busy ? busy === "on" : state === "on"}
              disabled={busy !== null}
              aria-describedby={statusId}
              onChange={(event) => void toggle(event.target.checked)}
            />
            <span className="choice__label">Notify me on this device</span>
          </label>
          <p id={statusId} role="status" className="choice__description">
            {busy === "on"
              ? "Turning on…"
              : busy === "off"
                ? "Turning off…"
                : state === "on"
                  ? "On: this browser gets your pushes."
                  : "Off: this browser gets no pushes."}
          </p>
        </div>
      )}
      {error && <Alert tone="error">{error}</Alert>}
    </section>
  );
}
