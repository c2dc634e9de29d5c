/* portevoix search page: Pagefind's JavaScript API on the site's own index, loaded when a query is typed
   (the index comes in small fragments, fetched as the query needs them, from this site only). Each result is
   an episode; its moments (Pagefind's sub-results) already end in #t=<seconds>: the episode at the time the
   words were said. The query stays in the address (?q=), so a search can be shared or reloaded. */
(function () {
  "use strict";
  var box = document.querySelector(".search");
  if (!box) return;
  var form = box.querySelector("form"), input = form.querySelector("input"), list = box.querySelector("[data-results]");
  var count = box.querySelector("[data-count]"), more = box.querySelector("[data-more]");
  var root = new URL(box.dataset.root, location.href), engine = null, found = [], shown = 0, ticket = 0, timer = 0;
  var PAGE = 8, MOMENTS = 4;

  /* A large archive's index comes in shards (data-merge, see pipeline/site/search.py), each searched with its own
     copy of Pagefind. When a word starts no word of an index, Pagefind matches the longest word of that index the
     searched word starts with ("a" for "abricot"): its best guess for one index, but a shard would guess so while
     another holds the word. A shard's results are left out when it only guesses a word another shard holds, as
     one index would leave them out. */
  var merged = (box.dataset.merge || "").split(" ").filter(Boolean);
  function load(url) {
    return import(new URL(url, location.href).href).then(function (module) {
      return Promise.resolve(module.options({ baseUrl: root.pathname })).then(function () { return module; });
    });
  }
  function engines() {
    if (!engine) {
      engine = Promise.all([load(box.dataset.bundle)].concat(merged.map(function (folder) { return load(folder + "pagefind.js"); })))
        .then(function (all) { engines.loaded = all; return all; });
    }
    return engine;
  }
  function plain(text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, ""); }
  function holds(result, term) { /* whether a shard's best result for `term` alone shows that word, not a guess */
    if (!result) return Promise.resolve(false);
    var word = plain(term), start = word.slice(0, Math.max(3, word.length - 2));
    return result.data().then(function (data) {
      var excerpts = [data.excerpt].concat(data.sub_results.map(function (sub) { return sub.excerpt; })).join(" ");
      return (excerpts.match(/<mark>[^<]*<\/mark>/g) || []).some(function (mark) { return plain(mark.slice(6, -7)).indexOf(start) === 0; });
    });
  }
  function search(all, query) {
    var terms = query.split(/\s+/).filter(Boolean);
    if (all.length === 1 || /^\s*".+"\s*$/.test(query)) { /* one index, or an exact search: nothing guessed */
      return Promise.all(all.map(function (module) { return ask(module, function () { return module.search(query); }); })).then(function (answers) {
        return [].concat.apply([], answers.map(function (answer, m) { return owned(answer.results, all[m]); }));
      }).then(byScore);
    }
    return Promise.all(all.map(function (module) {
      return Promise.all([ask(module, function () { return module.search(query); })].concat(terms.map(function (term) {
        return ask(module, function () { return module.search(term).then(function (alone) { return holds(alone.results[0], term); }); });
      })));
    })).then(function (answers) {
      var kept = answers.filter(function (answer) {
        return terms.every(function (term, t) { return answer[t + 1] || !answers.some(function (other) { return other[t + 1]; }); });
      });
      return byScore([].concat.apply([], answers.map(function (answer, m) { return kept.indexOf(answer) < 0 ? [] : owned(answer[0].results, all[m]); })));
    });
  }
  var queues = [];
  function ask(module, task) { /* one search at a time in each copy of Pagefind: two at once lose index chunks */
    var index = engines.loaded.indexOf(module);
    var answer = (queues[index] || Promise.resolve()).then(task);
    queues[index] = answer.catch(function () {});
    return answer;
  }
  function owned(results, module) { results.forEach(function (result) { result.module = module; }); return results; }
  function byScore(results) { return results.sort(function (a, b) { return b.score - a.score; }); }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }
  function link(href, text) { var a = element("a", "", text); a.href = href; return a; }

  function score(sub) {
    return (sub.weighted_locations || []).reduce(function (total, hit) { return total + hit.balanced_score; }, 0);
  }
  function item(data) {
    var li = element("li"), heading = element("h2");
    heading.appendChild(link(data.url, data.meta.title));
    li.appendChild(heading);
    li.appendChild(element("p", "meta", [data.meta.date, data.meta.duration].filter(Boolean).join(" · ")));
    var moments = data.sub_results.filter(function (sub) { return /#t=\d+$/.test(sub.url); })
      .sort(function (a, b) { return score(b) - score(a); }).slice(0, MOMENTS); /* best first; Pagefind gives page order */
    if (!moments.length) { var excerpt = element("p"); excerpt.innerHTML = data.excerpt; li.appendChild(excerpt); }
    var ul = element("ul", "moments");
    moments.forEach(function (sub) {
      var entry = element("li"), said = element("span", "said"), time = sub.url.split("#t=")[1];
      var cue = sub.anchor && sub.anchor.element === "h3"; /* a cue (h3) or a chapter (h2), see pipeline/site/search.py */
      entry.appendChild(link(sub.url, box.dataset.listen + " " + sub.title));
      if (cue) { /* what was said, without the heading ("Name · 00:27.") that Pagefind puts first */
        said.innerHTML = sub.excerpt.indexOf(sub.title) === 0 ? sub.excerpt.slice(sub.title.length + 1) : sub.excerpt;
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(said);
      }
      if (cue && data.meta.transcript) { /* also readable in the transcript */
        entry.appendChild(document.createTextNode(" "));
        entry.appendChild(link(new URL(data.meta.transcript, root).href + "#t=" + time, box.dataset.read));
      }
      ul.appendChild(entry);
    });
    if (moments.length) li.appendChild(ul);
    return li;
  }
  function next() {
    var page = found.slice(shown, shown + PAGE), mine = ticket;
    shown += page.length;
    more.hidden = shown >= found.length;
    var data = [];
    return Promise.all((engines.loaded || []).map(function (module) { /* each copy's fragments in one of its turns */
      return ask(module, function () {
        return Promise.all(page.map(function (result, i) {
          if (result.module === module) return result.data().then(function (one) { data[i] = one; });
        }));
      });
    })).then(function () {
      if (mine !== ticket) return;
      data.forEach(function (one) { list.appendChild(item(one)); });
    });
  }
  function run(query) {
    var mine = ++ticket;
    if (history.replaceState) history.replaceState(null, "", query ? "?q=" + encodeURIComponent(query) : location.pathname);
    if (!query) { list.textContent = ""; count.textContent = ""; more.hidden = true; return Promise.resolve(); }
    return engines().then(function (all) { return search(all, query); }, function () {
      engine = null; /* no index (a podcast without episodes yet): nothing found */
      return [];
    }).then(function (results) {
      if (mine !== ticket) return;
      found = results;
      shown = 0;
      list.textContent = "";
      var said = found.length > 1 ? box.dataset.found : found.length ? box.dataset.foundOne : box.dataset.notFound;
      count.textContent = said.replace("{count}", found.length).replace("{query}", query);
      return next();
    });
  }

  box.querySelector(".no-js").hidden = true;
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(input.value.trim()); });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { run(input.value.trim()); }, 250); });
  more.addEventListener("click", function () { next(); });
  var query = new URLSearchParams(location.search).get("q");
  if (query) { input.value = query; run(query.trim()); }
})();
