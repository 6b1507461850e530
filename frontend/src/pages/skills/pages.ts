export { MySkillsPage } from "./MySkillsPage";
export { SkillPage } from "./SkillPage";
export { SkillsPage } from "./SkillsPage";
