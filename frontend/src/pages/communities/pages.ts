export { CommunitiesPage } from "./CommunitiesPage";
export { CommunityPage } from "./CommunityPage";
export { EditCommunityPage } from "./EditCommunityPage";
export { NewCommunityPage } from "./NewCommunityPage";
export { CommunityWebhooksPage } from "./CommunityWebhooksPage";
