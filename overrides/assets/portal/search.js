/*
 * The portal's search: a small client of Pagefind's JS API (site/pagefind/pagefind.js), drawn in the
 * header by overrides/partials/portal/search.html, and the loader catalogue-filter.js shares.
 *
 * Why our own client and not Pagefind's ready-made UIs (pagefind-ui.js, the component UI):
 * - bytes: the component UI is 175 KB of script and 42 KB of CSS before the first result, more than
 *   the whole rest of a search (pagefind.js, the worker, the WebAssembly and the first index chunks);
 *   this file is a few KB;
 * - words: every label, the placeholder, "no results" and the plural counts come from the portal's
 *   own strings (scripts/locales/<lang>.yml), with Russian plural forms (Intl.PluralRules);
 * - one index for two uses: the catalogue filter (catalogue-filter.js) runs on the same Pagefind
 *   instance, with its own URL state, which the ready-made UIs would not share;
 * - results show the page kind (Pagefind metadata "kind") above title and excerpt.
 *
 * Pagefind picks the index of the page's <html lang> itself. Excerpts come from Pagefind with the
 * hits in <mark>; they are rebuilt here from text and <mark> only, never inserted as HTML.
 * Shortcuts: "/" (outside text fields) and Ctrl+K / Cmd+K open the search; Escape closes it; the
 * arrow keys move between results.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-portal-search]");
  if (!box) return;
  var bundleUrl = new URL(box.getAttribute("data-bundle"), location.href).href;
  var strings = {};
  try { strings = JSON.parse(document.getElementById("portal-search-strings").textContent); } catch (e) { /* defaults below */ }
  var lang = (document.documentElement.getAttribute("lang") || "en").toLowerCase();
  var t = (strings[lang] || strings.en || { search: {} }).search;
  var PAGE = 8; /* results shown at once */
  var EXCERPT = 24; /* words of an excerpt */

  /* ------------------------------------------------------------------ shared Pagefind loader */

  /* Ranking, with Pagefind's documented options only (tests/browser/test_search.py checks it):
     - termSimilarity 5: whole words first, so an acronym finds its record before longer words;
     - metaWeights: a metadata match lifts a page by every word of the field the query begins. The
       title a little (Pagefind's 5 put an event named after Sitra above Sitra); kind and row none;
       keys, a page's own names of one word ("Sitra", "СПб", "Pietari"), the most: such a query
       finds that page before those whose longer names hold it (render/search_fields.one_word). */
  var RANKING = {
    termSimilarity: 5,
    metaWeights: { keys: 10, title: 2, kind: 0, row: 0 }
  };
  var loading = null;
  function pagefind() {
    if (!loading) {
      loading = import(bundleUrl).then(function (pf) {
        /* noWorker: Pagefind 1.5 runs the search in a Web Worker of its own, a second copy of its
           script (12 KB compressed) fetched before the first result; the search itself takes a few
           milliseconds even at 10,000 records, so it runs here and readers on slow phones'
           connections download less (issue 12: bytes before the first result). */
        return pf.options({ excerptLength: EXCERPT, ranking: RANKING, noWorker: true }).then(function () { pf.init(); return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* Text that Pagefind gives back as HTML-escaped source text, as plain text. */
  var parser = new DOMParser();
  function decode(text) {
    return parser.parseFromString("<!doctype html><body>" + (text || ""), "text/html").body.textContent;
  }

  /* An excerpt as DOM: text and <mark> only. */
  function excerptNode(html) {
    var out = document.createDocumentFragment();
    var body = parser.parseFromString("<!doctype html><body>" + (html || ""), "text/html").body;
    Array.prototype.forEach.call(body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function plural(forms, count) {
    var key = "other";
    try { key = new Intl.PluralRules(lang).select(count); } catch (e) { /* "other" */ }
    return String((forms && (forms[key] || forms.other)) || "{count}").replace("{count}", count);
  }

  /* Other forms of the query, searched beside it and merged by score:
     - Pagefind drops a hyphen from the query ("kiertotalous-hanke" is looked up as one word), while
       pages write the parts apart: a hyphenated query also runs as its parts. A Finnish compound
       written apart ("jäte huolto") also runs closed ("jätehuolto"), one word of the index. (A page's
       hyphenated word is indexed whole and by parts: "Kaakkois Suomi" finds "Kaakkois-Suomi".)
     - Finnish -us/-ys nouns keep -u-/-y- before case endings (kiertotalouden), which the stemmer
       does not bring together with the nominative: such a query also runs in the nominative. */
  function variants(query) {
    var forms = [query];
    if (/[^\s\p{Pd}]\p{Pd}+[^\s\p{Pd}]/u.test(query)) forms.push(query.replace(/\p{Pd}+/gu, " "));
    if (lang === "fi") {
      var words = query.split(/\s+/);
      if (words.length === 2 && words.every(function (w) { return /^\p{L}+\p{Pd}?$/u.test(w); })) {
        forms.push(words.join("").replace(/\p{Pd}/gu, ""));
      }
      forms.forEach(function (form) {
        var nominative = form.replace(/([uy])(?:den|tta|ttä|teen|ksen|kseen|ksessa|ksessä|ksia|ksiä|ksien)(?=$|[\s.,;:!?])/gi, "$1s");
        if (nominative !== form) forms.push(nominative);
      });
    }
    return forms.slice(1).filter(function (form, i, all) { return form !== query && all.indexOf(form) === i; });
  }

  /* pf.search for the query and its variants; by score, each page once, at its best score. */
  function search(pf, query, options) {
    var queries = [query].concat(query ? variants(query) : []);
    return Promise.all(queries.map(function (q) { return pf.search(q, options || {}); })).then(function (all) {
      var first = all[0];
      if (!first || all.length === 1) return first;
      var best = {};
      var merged = [];
      all.forEach(function (s) {
        (s ? s.results : []).forEach(function (r) {
          if (!best[r.id]) { best[r.id] = r; merged.push(r); }
          else if (r.score > best[r.id].score) { merged[merged.indexOf(best[r.id])] = r; best[r.id] = r; }
        });
      });
      if (query) merged.sort(function (a, b) { return b.score - a.score; });
      return { results: merged, filters: first.filters, totalFilters: first.totalFilters };
    });
  }

  /* The excerpt from the page's own words only. A page's names in every language stand hidden
     before its <h1> (partials/portal/search-data.html), and Pagefind's excerpt is the densest run of
     hits anywhere, often those names. Its sub_results are excerpts per heading: the best one from the
     <h1> on is shown, else the words after the <h1>; a page without names keeps Pagefind's. */
  function ownExcerpt(data) {
    var h1 = (data.anchors || []).filter(function (a) { return /^h1$/i.test(a.element); })
      .sort(function (a, b) { return a.location - b.location; })[0];
    if (!h1 || !h1.location) return data.excerpt;
    var best = null;
    var bestScore = 0;
    (data.sub_results || []).forEach(function (sub) {
      var own = (sub.weighted_locations || []).filter(function (l) { return l.location >= h1.location; });
      if (own.length !== (sub.weighted_locations || []).length || !own.length) return;
      var score = own.reduce(function (sum, l) { return sum + l.balanced_score; }, 0);
      if (score > bestScore) { best = sub; bestScore = score; }
    });
    if (best) return best.excerpt;
    var from = h1.location + String(h1.text || "").split(/\s+/).filter(Boolean).length; /* after the title, shown above */
    return (data.raw_content || "").split(/[\r\n\s]+/g).slice(from, from + EXCERPT).join(" ");
  }

  window.portalSearch = { pagefind: pagefind, search: search, decode: decode, excerptNode: excerptNode,
                          ownExcerpt: ownExcerpt,
                          plural: plural, lang: lang };

  /* ------------------------------------------------------------------ the header search */

  var open = box.querySelector(".portal-search__open");
  var dialog = box.querySelector(".portal-search__dialog");
  var input = box.querySelector(".portal-search__input");
  var status = box.querySelector(".portal-search__status");
  var list = box.querySelector(".portal-search__results");
  var more = box.querySelector(".portal-search__more");
  var close = box.querySelector(".portal-search__close");

  function text(selector, value) { box.querySelector(selector).textContent = value || ""; }
  text(".portal-search__open-label", t.label);
  open.setAttribute("aria-label", t.open || t.label || "");
  open.title = t.shortcut || "";
  text(".portal-search__title", t.open);
  text(".portal-search__input-label", t.label);
  text(".portal-search__hint", t.shortcut);
  input.placeholder = t.placeholder || "";
  close.setAttribute("aria-label", t.close || "");
  close.title = t.close || "";
  more.textContent = t.more || "";
  box.hidden = false;

  var current = null; /* the last search, with its results */
  var shown = 0;
  var serial = 0;
  var timer = 0;

  function show() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    pagefind().catch(function () { status.textContent = t.error || ""; });
  }

  function item(data) {
    var meta = data.meta || {};
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.className = "portal-search__result";
    a.href = data.url;
    var kind = document.createElement("span");
    kind.className = "portal-search__kind";
    kind.textContent = decode(meta.kind) || (t.kinds && t.kinds.page) || "";
    var title = document.createElement("span");
    title.className = "portal-search__result-title";
    title.textContent = decode(meta.title) || data.url;
    var excerpt = document.createElement("span");
    excerpt.className = "portal-search__excerpt";
    excerpt.appendChild(excerptNode(ownExcerpt(data)));
    a.appendChild(kind);
    a.appendChild(title);
    a.appendChild(excerpt);
    li.appendChild(a);
    return li;
  }

  /* Results from..from+PAGE, in order. The first one's fragment is fetched alone and shown, then
     the others' together: a reader sees the best result after one fragment (~1 KB) rather than
     eight (issue 21: bytes before the first result), the rest one round trip later. `mine`: the
     search they belong to; a newer search's list is left alone. */
  function render(results, from, mine) {
    var slice = results.slice(from, from + PAGE);
    if (!slice.length) return Promise.resolve();
    return slice[0].data().then(function (first) {
      if (mine !== serial) return null;
      list.appendChild(item(first));
      return Promise.all(slice.slice(1).map(function (r) { return r.data(); })).then(function (rest) {
        if (mine !== serial) return;
        rest.forEach(function (data) { list.appendChild(item(data)); });
      });
    });
  }

  function run() {
    var query = input.value.trim();
    var mine = ++serial;
    if (!query) {
      current = null;
      list.textContent = "";
      status.textContent = "";
      more.hidden = true;
      return;
    }
    status.textContent = t.loading || "";
    pagefind().then(function (pf) { return search(pf, query); }).then(function (found) {
      if (mine !== serial || !found) return null;
      current = found.results;
      shown = Math.min(PAGE, current.length);
      list.textContent = "";
      return render(current, 0, mine).then(function () {
        if (mine !== serial) return;
        status.textContent = current.length ? plural(t.count, current.length) : (t.none || "");
        more.hidden = current.length <= shown;
      });
    }).catch(function () {
      if (mine === serial) status.textContent = t.error || "";
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  });
  more.addEventListener("click", function () {
    if (!current) return;
    var from = shown;
    shown = Math.min(shown + PAGE, current.length);
    var mine = serial;
    render(current, from, mine).then(function () {
      if (mine !== serial) return;
      more.hidden = current.length <= shown;
      var links = list.querySelectorAll(".portal-search__result");
      if (links[from]) links[from].focus();
    });
  });
  open.addEventListener("click", show);
  open.addEventListener("pointerenter", function () { pagefind().catch(function () {}); }, { once: true });
  close.addEventListener("click", function () { dialog.close(); });
  /* A click on the backdrop (outside the dialog's box) closes it. */
  dialog.addEventListener("click", function (ev) {
    if (ev.target === dialog) {
      var r = dialog.getBoundingClientRect();
      var inside = ev.clientX >= r.left && ev.clientX <= r.right && ev.clientY >= r.top && ev.clientY <= r.bottom;
      if (!inside) dialog.close();
    }
  });

  /* Arrow keys: from the box to the first result, between results, back to the box. */
  dialog.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll(".portal-search__result"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = ev.key === "ArrowDown" ? at + 1 : at - 1;
    if (at < 0 && ev.key === "ArrowUp") return;
    ev.preventDefault();
    if (next < 0) input.focus();
    else links[Math.min(next, links.length - 1)].focus();
  });

  function editable(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  /* The shortcuts are ours: handled before anything else on the page sees them. */
  window.addEventListener("keydown", function (ev) {
    var slash = ev.key === "/" && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !editable(ev.target);
    var ctrlK = (ev.ctrlKey || ev.metaKey) && !ev.altKey && (ev.key === "k" || ev.key === "K");
    if (!slash && !ctrlK) return;
    if (dialog.open && !ctrlK) return;
    ev.preventDefault();
    ev.stopImmediatePropagation();
    show();
  }, true);
})();
