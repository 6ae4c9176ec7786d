// Enhancements only: the page works the same without this file.
// Outlet facet filter box: with many outlets, typing narrows the list (selected outlets and
// the "Tidak diketahui" bucket always stay visible).
(function () {
  "use strict";
  var MIN_OUTLETS = 8;
  var facet = document.getElementById("facet-outlet");
  if (!facet) return;
  var items = facet.querySelectorAll("li");
  if (items.length < MIN_OUTLETS) return;
  var label = document.createElement("label");
  label.className = "facet-filter";
  label.textContent = "Saring media ";
  var input = document.createElement("input");
  input.type = "search";
  input.placeholder = "mis. kompas";
  label.appendChild(input);
  facet.insertBefore(label, facet.querySelector("ul"));
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLowerCase();
    items.forEach(function (item) {
      var link = item.querySelector("a");
      var text = (link.querySelector(".label") || link).textContent.toLowerCase();
      var keep = !wanted || text.indexOf(wanted) !== -1 || link.classList.contains("selected") ||
        link.getAttribute("data-value") === "_none";
      item.hidden = !keep;
    });
  });
})();

// Each chart is one tab stop: arrow keys (and Home/End) move between its periods, Enter follows the
// focused one; a focused period shows its values beside it (style.css). Without this file every period
// stays reachable through the chart's "Angka per …" table.
(function () {
  "use strict";
  var KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
  document.querySelectorAll("svg.chart").forEach(function (chart) {
    var cols = Array.prototype.slice.call(chart.querySelectorAll("a.col"));
    if (!cols.length) return;
    chart.addEventListener("keydown", function (event) {
      var current = cols.indexOf(document.activeElement);
      if (current === -1) return;
      var next;
      if (event.key in KEYS) next = Math.min(cols.length - 1, Math.max(0, current + KEYS[event.key]));
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = cols.length - 1;
      else return;
      event.preventDefault();
      cols[current].setAttribute("tabindex", "-1");
      cols[next].setAttribute("tabindex", "0");
      cols[next].focus();
    });
  });
})();

// The filters' "Saring" control is for phones; on a wider screen the sidebar is simply open
// (style.css does the same for browsers without this file).
(function () {
  "use strict";
  var filters = document.querySelector("details.filters");
  if (!filters || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48.01rem)");
  function follow() { if (wide.matches) filters.open = true; }
  follow();
  wide.addEventListener("change", follow);
})();


// On a phone the filters fold into "Saring", and every tick reloads the page: a tick made there reopens
// them at the same list on the next page, so several outlets are chosen without reopening and scrolling.
(function () {
  "use strict";
  var filters = document.querySelector("details.filters");
  if (!filters || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 48rem)");
  filters.addEventListener("click", function (event) {
    var link = event.target.closest("a.facet-value, a.exclude");
    if (!link || !narrow.matches) return;
    var section = link.closest("section.facet");
    if (section && section.id) link.href = link.href.split("#")[0] + "#" + section.id;
  });
  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && filters.contains(target)) {
    filters.open = true;
    target.scrollIntoView();
  }
})();