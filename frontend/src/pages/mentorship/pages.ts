export { MentorshipPage } from "./MentorshipPage";
