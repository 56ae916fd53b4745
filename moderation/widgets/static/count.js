/* Fill every [data-comment-count] element with its article's published comment count, using
   one request per site however many articles the page lists. The comments widget on the same
   page announces fresher counts (the "mcw:count" event, window.mcwCounts); they win. */
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

  var known = window.mcwCounts = window.mcwCounts || {};

  function show(site, article, n) {
    ((bySite[site] || {})[article] || []).forEach(function (node) {
      node.textContent = label(n);
      node.setAttribute("data-count", String(n));
    });
  }

  document.addEventListener("mcw:count", function (event) {
    show(event.detail.site, event.detail.article, event.detail.count);
  });

  /* Right after the reader posted here, a cached count would be stale: ask past caches. */
  function justChanged(site) {
    try {
      return JSON.parse(window.localStorage.getItem("mcw:" + site + ":fresh")) > Date.now();
    } catch (e) { return false; }
  }

  Object.keys(bySite).forEach(function (site) {
    var articles = Object.keys(bySite[site]);
    var url = base + "/api/v1/sites/" + encodeURIComponent(site) + "/counts";
    var query = "?articles=" + articles.map(encodeURIComponent).join(",");
    // A short GET can be cached by a CDN; a very long list goes in a POST body instead.
    var request = articles.some(function (a) { return a.indexOf(",") >= 0; }) ||
      query.length > 3000
      ? fetch(url, { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ articles: articles }) })
      : justChanged(site) ? fetch(url + query + "&fresh=" + Date.now(), { cache: "no-cache" })
        : fetch(url + query);
    request.then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        articles.forEach(function (article) {
          var fresher = known[site + "\n" + article];
          show(site, article, fresher != null ? fresher : data.counts[article] || 0);
        });
      }, function () { /* counts are decoration: leave the placeholders */ });
  });
})();
