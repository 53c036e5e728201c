// The page's own script (no inline scripts: the page's Content-Security-Policy forbids them).
// The terminal itself is textual-serve's textual.js, which connects to the websocket on load.
window.addEventListener("DOMContentLoaded", () => {
  const restart = document.getElementById("restart");
  if (restart) {
    restart.addEventListener("click", () => {
      window.location.replace(window.location.pathname);
    });
  }
});
