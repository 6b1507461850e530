"""Push delivery: the push task and the providers (Web Push, FCM, APNs) behind the domain's
PushProvider port."""
