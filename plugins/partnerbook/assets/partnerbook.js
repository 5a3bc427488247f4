/* partnerbook: filters of the partners list. Without JavaScript the whole list shows.
   The filter lives in the query string (?network=ivn&role=channels) so a view can be shared. */
(function () {
  "use strict";
  var KEYS = ["network", "kind", "role", "tag"];

  function setUp(form) {
    if (form.dataset.pbReady) return;
    form.dataset.pbReady = "1";
    var view = form.closest(".pb-partners");
    var rows = Array.prototype.slice.call(view.querySelectorAll("tr.pb-partner-row"));
    var groups = Array.prototype.slice.call(view.querySelectorAll("tr.pb-group-row"));
    var count = form.querySelector(".pb-filter-count");
    var params = new URLSearchParams(window.location.search);
    KEYS.forEach(function (key) {
      var value = params.get(key);
      if (value !== null) form.elements[key].value = value;
    });

    function apply(updateUrl) {
      var wanted = {};
      KEYS.forEach(function (key) { wanted[key] = form.elements[key].value; });
      var shown = 0;
      rows.forEach(function (row) {
        var tags = JSON.parse(row.dataset.tags || "[]");
        var ok = (!wanted.network || row.dataset.network === wanted.network) &&
          (!wanted.kind || row.dataset.kind === wanted.kind) &&
          (!wanted.role || row.dataset.roles.split(" ").indexOf(wanted.role) >= 0) &&
          (!wanted.tag || tags.indexOf(wanted.tag) >= 0);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      groups.forEach(function (group) {
        group.hidden = !rows.some(function (row) {
          return !row.hidden && row.dataset.network === group.dataset.group;
        });
      });
      count.textContent = shown + " of " + rows.length + " partners";
      if (updateUrl) {
        var query = new URLSearchParams(window.location.search);
        KEYS.forEach(function (key) {
          if (wanted[key]) query.set(key, wanted[key]); else query.delete(key);
        });
        var search = query.toString();
        window.history.replaceState(window.history.state, "",
          window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }

    form.addEventListener("change", function () { apply(true); });
    form.hidden = false;
    apply(false);
  }

  function setUpAll() {
    document.querySelectorAll("form.pb-filter").forEach(setUp);
    // Material's search panel is a dialog without a name; screen readers announce it by this.
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
      dialog.setAttribute("aria-label", "Search");
    });
  }

  // Material's instant navigation swaps pages without a load event: it announces them on document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
