// Live refresh for the console's pages: every N seconds (the data-refresh attribute) the page is
// fetched again and its main part replaced. Without JavaScript the pages are complete, only static.
(function () {
  "use strict";
  var marker = document.querySelector("[data-refresh]");
  if (!marker || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = Math.max(5, parseInt(marker.getAttribute("data-refresh"), 10) || 10);
  function refresh() {
    // Not while the operator is selecting a command to copy.
    var active = document.activeElement;
    if (active && active.tagName === "INPUT") {
      window.setTimeout(refresh, seconds * 1000);
      return;
    }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("main");
        var main = document.getElementById("main");
        var open = main.querySelector("details[open]") !== null;
        if (fresh && main) {
          main.replaceWith(fresh);
          if (open) {
            var details = fresh.querySelector("details");
            if (details) { details.open = true; }
          }
        }
      })
      .catch(function (error) {
        var live = document.querySelector(".live");
        if (live) { live.textContent = "Refresh failed (" + error.message + "); the figures shown are older."; }
      })
      .finally(function () { window.setTimeout(refresh, seconds * 1000); });
  }
  window.setTimeout(refresh, seconds * 1000);
  document.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("command")) { event.target.select(); }
  });
})();
