export { NotificationsPage } from "./NotificationsPage";
export { PreferencesPage } from "./PreferencesPage";
