// Candor's site search: loads this language's index (built with the site) and ranks pages by
// where the words occur. No third-party code, no requests to other hosts; allowed by the CSP
// (script-src 'self', connect-src 'self').
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  var input = document.getElementById("search-q");
  if (!results || !input) return;
  var indexUrl = results.getAttribute("data-index");
  var index = null;

  function normalize(s) {
    return (s || "").toLocaleLowerCase().normalize("NFC");
  }

  function terms(query) {
    return normalize(query).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1 && n < 20) { n++; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  function score(entry, words) {
    var title = normalize(entry.t), head = normalize(entry.h), desc = normalize(entry.d), body = normalize(entry.x);
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      var s = 0;
      if (title.indexOf(w) !== -1) s += title === w || title.split(/\s+/).indexOf(w) !== -1 ? 40 : 25;
      if (head.indexOf(w) !== -1) s += 8;
      if (desc.indexOf(w) !== -1) s += 6;
      s += Math.min(count(body, w), 10);
      if (s === 0) return 0; // every word must occur somewhere
      total += s;
    }
    return total;
  }

  function snippet(entry, words) {
    var text = entry.x || "";
    var lower = normalize(text);
    var at = -1;
    for (var i = 0; i < words.length && at === -1; i++) at = lower.indexOf(words[i]);
    if (at === -1) return entry.d || text.slice(0, 160);
    var start = Math.max(0, at - 60);
    return (start > 0 ? "… " : "") + text.slice(start, start + 180) + " …";
  }

  function show(query) {
    var words = terms(query);
    results.textContent = "";
    if (!words.length || !index) return;
    var found = index
      .map(function (e) { return { e: e, s: score(e, words) }; })
      .filter(function (r) { return r.s > 0; })
      .sort(function (a, b) { return b.s - a.s || a.e.t.localeCompare(b.e.t); });
    var summary = document.createElement("p");
    summary.className = "search-summary";
    summary.textContent = found.length === 0
      ? results.getAttribute("data-none")
      : found.length === 1
        ? results.getAttribute("data-one")
        : results.getAttribute("data-many").replace("{n}", String(found.length));
    results.appendChild(summary);
    if (!found.length) return;
    var list = document.createElement("ol");
    list.className = "search-list";
    found.slice(0, 50).forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = r.e.u;
      link.textContent = r.e.t;
      var heading = document.createElement("h2");
      heading.appendChild(link);
      var text = document.createElement("p");
      text.textContent = snippet(r.e, words);
      item.appendChild(heading);
      item.appendChild(text);
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  fetch(indexUrl, { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      index = data;
      show(input.value);
    });
  var form = input.form;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    show(input.value);
  });
})();
