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
