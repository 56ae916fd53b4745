/* Fill every [data-comment-count] element with its article's published comment count, using
   one request per site however many articles the page lists. */
(function () {
  "use strict";
  var script = document.currentScript ||
    document.querySelector('script[src*="count.js"]');
  if (!script) return;
  var base = script.src.replace(/\/count\.js([?#].*)?$/, "");
  var defaultSite = script.getAttribute("data-site");
  var bySite = {};
  var nodes = document.querySelectorAll("[data-comment-count]");
  Array.prototype.forEach.call(nodes, function (node) {
    var site = node.getAttribute("data-site") || defaultSite;
    var article = node.getAttribute("data-article") || node.getAttribute("data-comment-count");
    if (!site || !article) return;
    (bySite[site] = bySite[site] || {})[article] = (bySite[site][article] || []).concat(node);
  });

  function label(n) { return n === 1 ? "1 comment" : n + " comments"; }

  Object.keys(bySite).forEach(function (site) {
    var articles = Object.keys(bySite[site]);
    var url = base + "/api/v1/sites/" + encodeURIComponent(site) + "/counts";
    var query = "?articles=" + articles.map(encodeURIComponent).join(",");
    // A short GET can be cached by a CDN; a very long list goes in a POST body instead.
    var request = articles.some(function (a) { return a.indexOf(",") >= 0; }) ||
      query.length > 3000
      ? fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ articles: articles }) })
      : fetch(url + query);
    request.then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        articles.forEach(function (article) {
          var n = data.counts[article] || 0;
          bySite[site][article].forEach(function (node) {
            node.textContent = label(n);
            node.setAttribute("data-count", String(n));
          });
        });
      }, function () { /* counts are decoration: leave the placeholders */ });
  });
})();
