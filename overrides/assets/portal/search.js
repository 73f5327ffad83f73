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

  /* Ranking (checked by tests/browser/test_search.py against the records' own names), with
     Pagefind's documented options only (no re-sorting here):
     - termSimilarity 5: whole words first, so an acronym finds its record before longer words;
     - metaWeights: Pagefind also searches metadata and lifts pages by it, by every word of a field
       that the query begins (its "coverage", squared). The title keeps a small lift (Pagefind's
       default of 5 let an event named after Sitra outrank Sitra itself); the page kind and the
       catalogue row (row, overrides/partials/portal/search-data.html) none; a page's own names of one
       word (keys: an acronym, a short name, a region's variants "СПб", "Pietari") the most: the
       query that is such a name finds that page first, before the pages whose longer names contain
       it ("Pietarin teknologiapuisto"), whose every word body text already weighs (the names block). */
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

  /* Other forms of the query that the index holds otherwise, searched beside it and merged by score:
     - compounds: Pagefind drops a hyphen from the query ("kiertotalous-hanke" is looked up as
       "kiertotaloushanke"), while the pages may write the parts on their own ("kiertotalous",
       "hanke"): a hyphenated query is also run as its parts. A Finnish compound written apart
       ("jäte huolto") is also run written together ("jätehuolto"): Finnish writes most compounds
       closed, and a closed compound is one word of the index. (A hyphenated word of a page is in the
       index whole and by its parts, so "Kaakkois Suomi" finds "Kaakkois-Suomi" as it is.)
     - Finnish nouns in -us/-ys keep -u-/-y- before their case endings (kiertotalous, kiertotalouden;
       kestävyys, kestävyyden), and the Snowball stemmer does not bring the two together
       ("kiertotalous" vs "kiertotaloud"): a Finnish query in such a case form is also run in the
       nominative. */
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

  /* pf.search(query, options) for the query and its variants; results by score, each page once (with
     the best score any form gave it). */
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

  /* The excerpt of a result, from the page's own words only. A record's or topic's names in every
     language stand before its <h1>, hidden (overrides/partials/portal/search-data.html), and
     Pagefind's excerpt is the densest run of hits in the whole indexed text, often those names: in
     another language and script than the page. Pagefind's sub_results are its excerpts per heading,
     each within its section; the best one from the <h1> on is shown (its hits weighed as Pagefind
     weighs them), and a page found by its names alone shows its opening words from the <h1>. Pages
     without names keep Pagefind's excerpt. */
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
    return (data.raw_content || "").split(/[\r\n\s]+/g).slice(h1.location, h1.location + EXCERPT).join(" ");
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

  function render(results, from) {
    return Promise.all(results.slice(from, from + PAGE).map(function (r) { return r.data(); }))
      .then(function (items) {
        items.forEach(function (data) {
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
          list.appendChild(li);
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
      return render(current, 0).then(function () {
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
    render(current, from).then(function () {
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
