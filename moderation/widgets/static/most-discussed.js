/* Render a site's most-discussed articles into the element named by data-target. */
(function () {
  "use strict";
  var script = document.currentScript ||
    document.querySelector('script[src*="most-discussed.js"][data-site]');
  if (!script) return;
  var base = script.src.replace(/\/most-discussed\.js([?#].*)?$/, "");
  var site = script.getAttribute("data-site");
  var target = document.getElementById(script.getAttribute("data-target") || "most-discussed");
  var hours = parseInt(script.getAttribute("data-hours"), 10) || 24;
  var limit = parseInt(script.getAttribute("data-limit"), 10) || 5;
  if (!site || !target) return;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function safeUrl(value) {
    try {
      var url = new URL(value, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }

  fetch(base + "/api/v1/sites/" + encodeURIComponent(site) + "/most-discussed?hours=" + hours +
    "&limit=" + limit)
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      var list = el("ol", "mcw-rail");
      data.articles.forEach(function (a) {
        var item = el("li", "mcw-rail-item");
        var title = a.title || a.article;
        var href = a.url && safeUrl(a.url);
        var heading = href ? el("a", null, title) : el("span", null, title);
        if (href) heading.setAttribute("href", href);
        var n = a.count === 1 ? "1 comment" : a.count + " comments";
        item.appendChild(heading);
        item.appendChild(el("span", "mcw-rail-count", " " + n));
        list.appendChild(item);
      });
      if (!data.articles.length) list.appendChild(el("li", "mcw-rail-empty", "No comments yet."));
      target.textContent = "";
      target.appendChild(list);
    }, function () { /* the rail is optional: keep the page as it is */ });
})();
