/*
 * Sets the colour theme on <html data-theme="light|dark"> before the first paint, so a reader
 * who chose Dark never sees a flash of Light. A file rather than an inline script: the page's
 * Content-Security-Policy allows scripts from this origin only. The app (src/lib/theme.ts)
 * keeps the attribute current afterwards; both read the same localStorage key.
 */
(function () {
  var choice = "system";
  try {
    choice = window.localStorage.getItem("leaderful:theme") || "system";
  } catch (error) {
    // Storage refused (private mode, policy): follow the system.
  }
  var systemDark = !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  var dark = choice === "dark" || (choice !== "light" && systemDark);
  document.documentElement.setAttribute("data-theme", dark ? "dark" : "light");
})();
