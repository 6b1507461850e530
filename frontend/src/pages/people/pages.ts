export { PersonPage } from "./PersonPage";
