/* partnerbook: filters of the partners list. Without JavaScript the whole list shows.
   The filter lives in the query string (?network=ivn&role=channels) so a view can be shared. */
(function () {
  "use strict";
  var KEYS = ["network", "kind", "role", "tag"];
  var LANGUAGE = document.documentElement.lang || undefined;

  // Numbers and percentages as the page's language writes them (1 000, 87 % in French).
  function number(value) {
    try { return new Intl.NumberFormat(LANGUAGE).format(value); } catch (e) { return String(value); }
  }
  function percent(value) {
    try { return new Intl.NumberFormat(LANGUAGE, {style: "percent"}).format(value); }
    catch (e) { return Math.round(value * 100) + "%"; }
  }

  function setUp(form) {
    if (form.dataset.pbReady) return;
    form.dataset.pbReady = "1";
    var view = form.closest(".pb-view");
    var rows = Array.prototype.slice.call(view.querySelectorAll("tr.pb-partner-row"));
    var groups = Array.prototype.slice.call(view.querySelectorAll("tr.pb-group-row"));
    var count = form.querySelector(".pb-filter-count");
    // Said in words when the filters leave no row: an empty table reads as a broken page.
    var none = document.createElement("p");
    none.className = "pb-no-match";
    none.textContent = form.dataset.none || "No partner matches these filters.";
    form.after(none);
    // The links to the other pages of a long list (paging.py) keep the filters set.
    var pages = Array.prototype.slice.call(view.querySelectorAll(".pb-pager a"));
    pages.forEach(function (link) { link.dataset.pbHref = link.getAttribute("href"); });
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
      // The page's language says it (data-count-*: the catalog's two forms, '{shown} of {total} …').
      var phrase = (rows.length === 1 ? form.dataset.countOne : form.dataset.countOther) ||
        (rows.length === 1 ? "{shown} of {total} partner" : "{shown} of {total} partners");
      count.textContent = phrase.replace("{shown}", number(shown)).replace("{total}", number(rows.length));
      none.hidden = shown > 0;
      var filters = new URLSearchParams();
      KEYS.forEach(function (key) { if (wanted[key]) filters.set(key, wanted[key]); });
      var kept = filters.toString();
      pages.forEach(function (link) {
        var target = link.dataset.pbHref.split("#");
        link.setAttribute("href", target[0] + (kept ? "?" + kept : "") + (target[1] ? "#" + target[1] : ""));
      });
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

  // Diagrams: zoom and pan in place with buttons and keys (+, -, 0, arrows) once the frame has
  // focus; never on the plain mouse wheel, which keeps scrolling the page. Zooming sets the
  // SVG's width, so the frame's own scrollbars (and touch scrolling) pan the enlarged picture.
  var ZOOM_STEP = 1.25, ZOOM_MIN = 0.2, ZOOM_MAX = 6, FIT_MIN = 0.45, PAN = 48;

  function naturalWidth(svg) {
    var width = svg.getAttribute("width") || "";
    var value = parseFloat(width);
    if (!value) return svg.getBoundingClientRect().width || 600;
    return /pt$/.test(width) ? value * 4 / 3 : value;
  }

  // The scale at which the diagram's smallest label is READABLE_PX tall: a diagram opens at least
  // that large (a phone shows part of it, the rest a pan away) rather than fitted into 5 px text.
  var READABLE_PX = 9;

  function readableScale(svg, natural) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (!box || !box.width) return 0;
    var texts = svg.querySelectorAll("text"), smallest = Infinity;
    for (var i = 0; i < texts.length && i < 400; i++) {
      var size = parseFloat(window.getComputedStyle(texts[i]).fontSize);
      if (size > 0 && size < smallest) smallest = size;
    }
    if (smallest === Infinity) return 0;
    return READABLE_PX / (smallest * natural / box.width);
  }

  // The full-size file of a diagram, made here from the SVG on the page: the site ships no file per
  // diagram (a thousand files at 1,000 partners, a second of every build). A file has no page CSS,
  // so it carries the light palette of partnerbook.css in short; its links are made absolute,
  // since a blob: address has no folder to resolve them from.
  var STANDALONE_STYLE = [
    ".pb-svg { background: #fff; }",
    ".pb-svg text { fill: #222; font-family: Helvetica, Arial, sans-serif; }",
    ".pb-svg .node polygon, .pb-svg .node ellipse, .pb-svg .node path { fill: #f2f2f2; stroke: #666; }",
    ".pb-svg .pb-ivn polygon, .pb-svg .pb-ivn path { fill: #e3e6f3; stroke: #3f51b5; }",
    ".pb-svg .pb-focal ellipse { fill: #3f51b5; stroke: #222; } .pb-svg .pb-focal text { fill: #fff; font-weight: 700; }",
    ".pb-svg .graph > ellipse { fill: #f1f2fa; stroke: #9fa8da; }",
    ".pb-svg .edge path { stroke: #666; } .pb-svg .edge polygon { fill: #666; stroke: #666; }",
    ".pb-svg .pb-intangible path { stroke: #7c4dff; } .pb-svg .pb-intangible polygon { fill: #7c4dff; stroke: #7c4dff; }"
  ].join("\n");
  var XLINK = "http://www.w3.org/1999/xlink", SVG_NS = "http://www.w3.org/2000/svg";

  function standaloneUrl(svg) {
    var copy = svg.cloneNode(true);
    copy.removeAttribute("style");  // the zoom's width on the page
    copy.querySelectorAll("a").forEach(function (link) {
      var href = link.getAttributeNS(XLINK, "href") || link.getAttribute("href");
      if (href) link.setAttributeNS(XLINK, "xlink:href", new URL(href, document.baseURI).href);
      link.removeAttribute("href");
    });
    var style = document.createElementNS(SVG_NS, "style");
    style.textContent = STANDALONE_STYLE;
    copy.insertBefore(style, copy.firstChild);
    var text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
    return URL.createObjectURL(new Blob([text], {type: "image/svg+xml"}));
  }

  function addFullSizeLink(frame, svg) {
    var tools = document.createElement("p");
    tools.className = "pb-diagram-tools";
    var link = document.createElement("a");
    link.className = "pb-full-size";
    link.textContent = frame.dataset.fullSize || "Open the diagram full size (SVG)";
    link.href = "#";
    // Made when the reader reaches for it (a click, a tap, the keyboard, a context menu), not on every
    // page load: a large network's SVG takes a moment to write out.
    function make() {
      if (!link.dataset.made) {
        link.dataset.made = "1";
        link.href = standaloneUrl(svg);
      }
    }
    ["pointerdown", "focus", "click", "contextmenu"].forEach(function (name) { link.addEventListener(name, make); });
    tools.appendChild(link);
    frame.parentNode.insertBefore(tools, frame.nextSibling);
  }

  function setUpDiagram(frame) {
    if (frame.dataset.pbZoom) return;
    var svg = frame.querySelector("svg.pb-svg");
    if (!svg) return;
    frame.dataset.pbZoom = "1";
    addFullSizeLink(frame, svg);
    var natural = naturalWidth(svg);
    var scale = 1;

    function fit() {
      var room = frame.clientWidth || natural;
      return Math.max(FIT_MIN, Math.min(1, room / natural));
    }

    function zoomTo(next) {
      next = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, next));
      // keep the point at the centre of the frame where it is
      var cx = (frame.scrollLeft + frame.clientWidth / 2) / (natural * scale);
      var cy = (frame.scrollTop + frame.clientHeight / 2) / Math.max(1, svg.getBoundingClientRect().height);
      scale = next;
      svg.style.width = Math.round(natural * scale) + "px";
      svg.style.maxWidth = "none";
      frame.scrollLeft = cx * natural * scale - frame.clientWidth / 2;
      frame.scrollTop = cy * svg.getBoundingClientRect().height - frame.clientHeight / 2;
      frame.dataset.pbScale = scale.toFixed(3);
      if (output) output.textContent = percent(scale);
    }

    var tools = document.createElement("div");
    tools.className = "pb-zoom-tools";
    tools.setAttribute("role", "toolbar");
    tools.setAttribute("aria-label", frame.dataset.zoomTools || "Zoom the diagram");
    var output = null;
    var says = frame.dataset;  // the labels in the page's language, written by the template
    [["−", says.zoomOut || "Zoom out (−)", function () { zoomTo(scale / ZOOM_STEP); }],
     ["+", says.zoomIn || "Zoom in (+)", function () { zoomTo(scale * ZOOM_STEP); }],
     [says.zoomFit || "Fit", says.zoomFitTitle || "Fit to the page (0)", function () { zoomTo(fit()); }]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.title = spec[1];
      button.setAttribute("aria-label", spec[1]);
      button.addEventListener("click", spec[2]);
      tools.appendChild(button);
    });
    output = document.createElement("output");
    output.setAttribute("aria-live", "polite");
    tools.appendChild(output);
    frame.parentNode.insertBefore(tools, frame);
    frame.classList.add("pb-zoomable");

    frame.addEventListener("keydown", function (event) {
      if (event.target !== frame || event.ctrlKey || event.metaKey || event.altKey) return;
      var handled = true;
      switch (event.key) {
        case "+": case "=": zoomTo(scale * ZOOM_STEP); break;
        case "-": case "_": zoomTo(scale / ZOOM_STEP); break;
        case "0": zoomTo(fit()); break;
        case "ArrowLeft": frame.scrollLeft -= PAN; break;
        case "ArrowRight": frame.scrollLeft += PAN; break;
        case "ArrowUp": frame.scrollTop -= PAN; break;
        case "ArrowDown": frame.scrollTop += PAN; break;
        default: handled = false;
      }
      if (handled) event.preventDefault();
    });
    var first = Math.min(ZOOM_MAX, Math.max(fit(), readableScale(svg, natural)));
    zoomTo(first);
    if (first > fit()) {  // opened larger than the frame: show its middle (the focal organisation)
      frame.scrollLeft = (frame.scrollWidth - frame.clientWidth) / 2;
      frame.scrollTop = (frame.scrollHeight - frame.clientHeight) / 2;
    }
  }

  function setUpAll() {
    document.querySelectorAll("form.pb-filter").forEach(setUp);
    document.querySelectorAll(".pb-svg-frame").forEach(setUpDiagram);
    // A table that scrolls in its own frame (partnerbook.css) takes keyboard focus, so the arrow
    // keys can scroll it too (WCAG 2.1.1); one that fits stays out of the tab order.
    document.querySelectorAll(".md-typeset table.pb-money, .md-typeset .pb-view table[class]").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute("tabindex")) table.tabIndex = 0;
    });
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
