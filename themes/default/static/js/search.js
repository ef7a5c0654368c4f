// Candor's site search: loads this language's index (built with the site) and ranks pages by
// where the words occur. No third-party code, no requests to other hosts; allowed by the CSP
// (script-src 'self', connect-src 'self').
//
// A small site's index is one array of pages, searched by substring. A large site's index is
// split (see src/site/search.rs): `search-index.json` is then a manifest, and a query loads one
// term shard per word (terms that begin with the word) and the chunks of the pages it shows.
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  var input = document.getElementById("search-q");
  if (!results || !input) return;
  var indexUrl = results.getAttribute("data-index");
  var index = null; // the whole index (an array), or
  var manifest = null; // the manifest of a split one
  var parts = indexUrl.replace(/\.json$/, "/");
  var shards = {};
  var chunks = {};
  var shown = 0; // the latest query wins when answers arrive out of order

  var IN_TITLE = 1, IN_HEADINGS = 2, IN_DESCRIPTION = 4;

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

  function json(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  }

  // The shard of a term: the hex of the UTF-8 bytes of its first two characters.
  function shardOf(term) {
    var bytes = new TextEncoder().encode(Array.from(term).slice(0, 2).join(""));
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  function shard(key) {
    if (!shards[key]) {
      shards[key] = manifest.shards.indexOf(key) === -1 ? Promise.resolve({}) : json(parts + "t-" + key + ".json");
    }
    return shards[key];
  }

  function chunk(n) {
    if (!chunks[n]) chunks[n] = json(parts + "d-" + n + ".json");
    return chunks[n];
  }

  // Scores of the pages that hold every word (as a word or the start of one), best first.
  function rank(words, loaded) {
    var totals = null;
    words.forEach(function (w, i) {
      var found = {};
      var terms = loaded[i];
      Object.keys(terms).forEach(function (term) {
        if (term.lastIndexOf(w, 0) !== 0) return;
        var p = terms[term];
        for (var k = 0; k < p.length; k += 3) {
          var s = found[p[k]] || (found[p[k]] = { t: 0, h: 0, d: 0, c: 0 });
          if (p[k + 1] & IN_TITLE) s.t = Math.max(s.t, term === w ? 40 : 25);
          if (p[k + 1] & IN_HEADINGS) s.h = 8;
          if (p[k + 1] & IN_DESCRIPTION) s.d = 6;
          s.c = Math.min(10, s.c + p[k + 2]);
        }
      });
      var next = {};
      Object.keys(found).forEach(function (doc) {
        var s = found[doc];
        if (totals === null || doc in totals) next[doc] = (totals ? totals[doc] : 0) + s.t + s.h + s.d + s.c;
      });
      totals = next;
    });
    return Object.keys(totals || {})
      .map(function (doc) { return { doc: Number(doc), s: totals[doc] }; })
      .sort(function (a, b) { return b.s - a.s || a.doc - b.doc; });
  }

  function render(found, words) {
    results.textContent = "";
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

  function show(query) {
    var words = terms(query);
    var mine = ++shown;
    results.textContent = "";
    if (!words.length) return;
    if (index) {
      var found = index
        .map(function (e) { return { e: e, s: score(e, words) }; })
        .filter(function (r) { return r.s > 0; })
        .sort(function (a, b) { return b.s - a.s || a.e.t.localeCompare(b.e.t); });
      render(found, words);
      return;
    }
    if (!manifest) return;
    Promise.all(words.map(function (w) { return shard(shardOf(w)); }))
      .then(function (loaded) {
        var ranked = rank(words, loaded);
        var needed = {};
        ranked.slice(0, 50).forEach(function (r) { needed[Math.floor(r.doc / manifest.chunk)] = true; });
        var numbers = Object.keys(needed).map(Number);
        return Promise.all(numbers.map(chunk)).then(function (docs) {
          var byNumber = {};
          numbers.forEach(function (n, i) { byNumber[n] = docs[i]; });
          return ranked.map(function (r, i) {
            var c = byNumber[Math.floor(r.doc / manifest.chunk)];
            return { e: i < 50 && c ? c[r.doc % manifest.chunk] : null, s: r.s };
          });
        });
      })
      .then(function (found) {
        if (mine === shown) render(found, words);
      });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  json(indexUrl).then(function (data) {
    if (Array.isArray(data)) index = data;
    else manifest = data;
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
