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

// The coverage chart is one tab stop: arrow keys (and Home/End) move between its bars, Enter
// follows the focused bar. Without this file every bar stays reachable through "Angka per …".
(function () {
  "use strict";
  var chart = document.querySelector("figure.coverage svg.chart");
  if (!chart) return;
  var bars = Array.prototype.slice.call(chart.querySelectorAll("a"));
  var KEYS = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
  chart.addEventListener("keydown", function (event) {
    var current = bars.indexOf(document.activeElement);
    if (current === -1) return;
    var next;
    if (event.key in KEYS) next = Math.min(bars.length - 1, Math.max(0, current + KEYS[event.key]));
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = bars.length - 1;
    else return;
    event.preventDefault();
    bars[current].setAttribute("tabindex", "-1");
    bars[next].setAttribute("tabindex", "0");
    bars[next].focus();
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
