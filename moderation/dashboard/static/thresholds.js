// Live routing preview for a site's thresholds: the same numbers the Preview button shows,
// fetched as the admin types. Without this script the button still works.
(function () {
  "use strict";
  var button = document.getElementById("preview-button");
  var region = document.getElementById("preview");
  if (!button || !region) return;
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input.threshold"));
  var timer = null;

  function cell(tag, text, scope) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (scope) element.setAttribute("scope", scope);
    return element;
  }

  function show(counts) {
    var table = document.createElement("table");
    table.appendChild(cell("caption", "The site's latest " + counts.comments +
      " scored comments, routed again (nothing saved yet)"));
    var head = table.createTHead().insertRow();
    ["Thresholds", "Published", "Review", "Rejected"].forEach(function (name) {
      head.appendChild(cell("th", name, "col"));
    });
    var body = table.createTBody();
    ["current", "proposed"].forEach(function (name) {
      var row = body.insertRow();
      row.appendChild(cell("th", name.charAt(0).toUpperCase() + name.slice(1), "row"));
      ["published", "review", "rejected"].forEach(function (key) {
        row.appendChild(cell("td", String(counts[name][key])));
      });
    });
    region.replaceChildren(table);
  }

  function refresh() {
    var body = {};
    inputs.forEach(function (input) {
      if (input.value !== "") body[input.name] = Number(input.value);
    });
    fetch(button.getAttribute("formaction"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) {
          region.replaceChildren(cell("p", data.error ? data.error.message + " " +
            Object.values(data.error.fields || {}).join(" ") : "The preview failed."));
          return;
        }
        show(data);
      });
    });
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  });
})();
