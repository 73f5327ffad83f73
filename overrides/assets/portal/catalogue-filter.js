/*
 * Catalogue filter: facets and text over EVERY record of a catalogue, through the site's Pagefind
 * index (the same per-language index as the header search, loaded by search.js), so the catalogue
 * page itself stays one fixed-size page however many records there are.
 *
 * Contract with the generator (scripts/templates/catalogue-page.html.j2, render/search_fields.py):
 *   <form class="portal-filter" data-kind="project" data-total="60"
 *         data-labels='{"legend", "search", "any", "reset", "matching": {plural forms}, "none", "unknown", "more", …}'>
 *     with its controls already in the page (a toggle, the text field, a <select data-facet> per facet,
 *     the reset button, a notice and a status line), so nothing moves when this script takes over;
 *   <table class="portal-catalogue"> (the rows of this page, cells with data-label) and <nav class="portal-pager">
 *   Record pages carry Pagefind filters named like the facets (vocabulary ids) plus kind=<kind> and
 *   place=<the catalogue page the record is on>, and metadata `row` (JSON: the record's name, summary
 *   and cells with their links, as render/search_fields.row() gives the catalogue page its rows) and
 *   place (its 0-based place in the catalogue).
 * Order: by relevance when the reader typed; otherwise the catalogue's own order, without a Pagefind
 * sort (a sort costs every search on every page an array of all pages: render/search_fields.py).
 * The search's counts per `place` value say how many matching records each catalogue page holds, so
 * the rows from..from+n are drawn by asking for the few catalogue pages that hold them and ordering
 * their results by the metadata `place`.
 * Without JavaScript the form stays hidden (portal.css) and the page's rows and pager are the catalogue.
 *
 * State in the URL, under names no other script reads: ?filter-text=…&filter-themes=…. Each change
 * is a new history entry (typing: one entry per burst of typing), so Back and Forward step through
 * the filters; the language switcher's links carry the same query (the ids are the same in every
 * language). Counts beside every facet value and the caption follow the current filter.
 */
(function () {
  "use strict";

  var PREFIX = "filter-";
  var PLACE = "place"; /* filter and metadata of a record's place in its catalogue */
  var ROWS = 50; /* rows drawn at once; "Show more" draws the next ones */

  function parse(text, fallback) {
    try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function setup(form) {
    var api = window.portalSearch;
    var table = document.querySelector("table.portal-catalogue");
    if (!api || !table || form.getAttribute("data-portal-ready")) return;
    form.setAttribute("data-portal-ready", "1");

    var kind = form.getAttribute("data-kind");
    var labels = parse(form.getAttribute("data-labels"), {});
    var tbody = table.tBodies[0];
    var staticRows = Array.prototype.slice.call(tbody.rows);
    var caption = table.caption;
    var staticCaption = caption ? caption.textContent : "";
    var pager = document.querySelector("nav.portal-pager");
    var headers = table.tHead ? Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.textContent.trim();
    }) : [];

    /* ---- controls (in the page already: catalogue-page.html.j2) */
    var text = form.querySelector(".portal-filter__search");
    var selects = {};
    Array.prototype.forEach.call(form.querySelectorAll("select[data-facet]"), function (select) {
      selects[select.getAttribute("data-facet")] = select;
    });
    var reset = form.querySelector(".portal-filter__reset");
    var toggle = form.querySelector(".portal-filter__toggle");
    var notice = form.querySelector(".portal-filter__notice");
    var status = form.querySelector(".portal-filter__status");
    var more = el("button", { type: "button", "class": "md-button portal-filter__more", hidden: "" }, [labels.more || ""]);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    table.parentNode.parentNode.insertBefore(more, table.parentNode.nextSibling);
    /* Phones fold the controls behind the toggle (portal.css); it says how many filters are on. */
    function fold(open) {
      form.classList.toggle("portal-filter--open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function toggleLabel(s) {
      var n = Object.keys(selects).filter(function (k) { return s[k]; }).length + (s.text ? 1 : 0);
      toggle.textContent = (labels.legend || "") + (n ? " (" + n + ")" : "");
    }
    toggle.addEventListener("click", function () { fold(!form.classList.contains("portal-filter--open")); });

    /* ---- state <-> URL */
    function state() {
      var s = { text: text.value.trim() };
      Object.keys(selects).forEach(function (name) { s[name] = selects[name].value; });
      return s;
    }
    function active(s) {
      return Object.keys(s).some(function (k) { return s[k]; });
    }
    function urlFor(s) {
      var url = new URL(location.href);
      ["text"].concat(Object.keys(selects)).forEach(function (name) {
        if (s[name]) url.searchParams.set(PREFIX + name, s[name]);
        else url.searchParams.delete(PREFIX + name);
      });
      return url;
    }
    function restore() {
      var params = new URL(location.href).searchParams;
      text.value = params.get(PREFIX + "text") || "";
      var unknown = [];
      Object.keys(selects).forEach(function (name) {
        var value = params.get(PREFIX + name) || "";
        var select = selects[name];
        /* A shared link may be older than the data: an unknown value is left out, and the reader told. */
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
        select.value = known ? value : "";
        if (!known) {
          var label = form.querySelector('label[for="' + select.id + '"]');
          unknown.push((labels.unknown || "").replace("{filter}", label ? label.textContent : name).replace("{value}", value));
        }
      });
      notice.textContent = unknown.join(" ");
      notice.hidden = !unknown.length;
    }
    /* The language switcher keeps the filter: its links get the same query string. */
    function switcher() {
      var query = urlFor(state()).search;
      Array.prototype.forEach.call(document.querySelectorAll("a.md-select__link[hreflang]"), function (a) {
        var href = new URL(a.getAttribute("href"), location.href);
        var keep = new URLSearchParams();
        href.searchParams.forEach(function (v, k) { if (k.indexOf(PREFIX) !== 0) keep.append(k, v); });
        new URLSearchParams(query).forEach(function (v, k) { keep.append(k, v); });
        var qs = keep.toString();
        a.setAttribute("href", href.pathname + (qs ? "?" + qs : "") + href.hash);
      });
    }

    var typing = false; /* the current history entry was made by typing: more typing replaces it */
    function commit(byTyping) {
      var url = urlFor(state());
      if (url.href === location.href) return;
      if (byTyping && typing) history.replaceState({ portalFilter: true }, "", url.href);
      else history.pushState({ portalFilter: true }, "", url.href);
      typing = byTyping;
    }

    /* ---- drawing */
    function cell(content) {
      var td = document.createElement("td");
      if (content) td.appendChild(content);
      return td;
    }
    /* A row as the catalogue page draws it (catalogue-page.html.j2 from render/search_fields.row()):
       the name linked, the acronym or short name, the summary, then each cell's parts, linked where
       they name a page (links relative to the record's page, the result's address). */
    function cell(parts, label, base) {
      var td = el("td", { "data-label": label || "" });
      (parts || []).forEach(function (part, i) {
        if (i) td.appendChild(document.createTextNode(", "));
        td.appendChild(part[1] ? el("a", { href: new URL(part[1], base).pathname }, [String(part[0])])
                               : document.createTextNode(String(part[0])));
      });
      return td;
    }
    function row(data) {
      var r = parse(api.decode((data.meta || {}).row), {});
      var base = new URL(data.url, location.href);
      var tr = document.createElement("tr");
      /* The record's slug, as on the generated rows: "download these rows" (download-rows.js) reads it. */
      var slug = String(data.url || "").replace(/\/+$/, "").split("/").pop();
      if (slug) tr.setAttribute("data-id", decodeURIComponent(slug));
      var cells = (r.cells || []).slice();
      var labels = headers.slice(1);
      if (kind === "event") { /* date first, as in the generated table */
        tr.appendChild(cell(cells.shift(), headers[0], base));
        labels = headers.slice(2);
      }
      var name = el("td", { "class": "portal-catalogue__name" },
                    [el("a", { href: base.pathname }, [r.name || api.decode((data.meta || {}).title) || data.url])]);
      (r.suffix || []).forEach(function (s) { name.appendChild(document.createTextNode(" (" + s + ")")); });
      if (r.summary) {
        name.appendChild(document.createElement("br"));
        name.appendChild(el("span", { "class": "portal-summary" }, [r.summary]));
      }
      tr.appendChild(name);
      cells.forEach(function (c, i) { tr.appendChild(cell(c, labels[i], base)); });
      return tr;
    }

    function counts(filters) {
      Object.keys(selects).forEach(function (name) {
        var byValue = (filters && filters[name]) || {};
        Array.prototype.forEach.call(selects[name].options, function (o) {
          if (!o.value) return;
          var n = byValue[o.value] || 0;
          o.textContent = o.getAttribute("data-label") + " (" + n + ")";
        });
      });
    }

    /* Pagefind counts only the filters it has loaded: load them all once, for the counts. */
    var filtersLoaded = null;
    function ready() {
      return api.pagefind().then(function (pf) {
        if (!filtersLoaded) filtersLoaded = pf.filters();
        return filtersLoaded.then(function () { return pf; });
      });
    }

    /* The matching records in the catalogue's order: (from, n) -> a promise of their data. `counted`
       is the search's count of matches per `place` value (catalogue page); each catalogue page's
       matches are fetched once, when a row on it is first drawn. */
    function inCatalogueOrder(pf, filters, counted) {
      var pages = Object.keys(counted).filter(function (k) { return counted[k] > 0; })
        .sort(function (a, b) { return Number(a) - Number(b); });
      var fetched = {};
      function page(value) {
        if (!fetched[value]) {
          var only = {};
          Object.keys(filters).forEach(function (k) { only[k] = filters[k]; });
          only[PLACE] = value;
          fetched[value] = pf.search(null, { filters: only }).then(function (search) {
            return Promise.all(search.results.map(function (r) { return r.data(); }));
          }).then(function (items) {
            return items.sort(function (a, b) {
              return Number((a.meta || {})[PLACE]) - Number((b.meta || {})[PLACE]);
            });
          });
        }
        return fetched[value];
      }
      return function (from, n) {
        var wanted = [];
        var start = 0;
        for (var i = 0; i < pages.length && start < from + n; i++) {
          if (start + counted[pages[i]] > from) wanted.push({ value: pages[i], start: start });
          start += counted[pages[i]];
        }
        return Promise.all(wanted.map(function (w) { return page(w.value); })).then(function (lists) {
          var out = [];
          lists.forEach(function (items, j) {
            items.forEach(function (item, k) {
              var at = wanted[j].start + k;
              if (at >= from && at < from + n) out.push(item);
            });
          });
          return out;
        });
      };
    }

    var results = [];
    var ordered = null; /* inCatalogueOrder(…) when the reader did not type */
    var drawn = 0;
    var serial = 0;
    function draw(from) {
      var mine = serial;
      var rows = ordered ? ordered(from, ROWS)
        : Promise.all(results.slice(from, from + ROWS).map(function (r) { return r.data(); }));
      return rows.then(function (items) {
        if (mine !== serial) return;
        if (from === 0) tbody.textContent = "";
        items.forEach(function (data) { tbody.appendChild(row(data)); });
        drawn = from + items.length;
        more.hidden = drawn >= results.length;
      });
    }

    function apply() {
      var s = state();
      var mine = ++serial;
      switcher();
      toggleLabel(s);
      if (!active(s)) {
        /* The page as built: its own rows, caption and pager. */
        tbody.textContent = "";
        staticRows.forEach(function (tr) { tbody.appendChild(tr); });
        if (caption) caption.textContent = staticCaption;
        if (pager) pager.hidden = false;
        more.hidden = true;
        status.textContent = "";
        form.removeAttribute("data-state");
        ready().then(function (pf) {
          return pf.search(null, { filters: { kind: kind } });
        }).then(function (search) { if (mine === serial && search) counts(search.filters); }).catch(function () {});
        return Promise.resolve();
      }
      form.setAttribute("data-state", "loading");
      status.textContent = labels.loading || "";
      var filters = { kind: kind };
      Object.keys(selects).forEach(function (name) { if (s[name]) filters[name] = s[name]; });
      var engine = null;
      return ready().then(function (pf) {
        engine = pf;
        return api.search(pf, s.text || null, { filters: filters });
      }).then(function (search) {
        if (mine !== serial || !search) return;
        results = search.results;
        var counted = (search.filters || {})[PLACE];
        ordered = !s.text && counted ? inCatalogueOrder(engine, filters, counted) : null;
        counts(search.filters);
        var line = results.length ? api.plural(labels.matching, results.length) : (labels.none || "");
        status.textContent = line;
        if (caption) caption.textContent = line;
        if (pager) pager.hidden = true;
        return draw(0).then(function () { if (mine === serial) form.setAttribute("data-state", "done"); });
      }).catch(function () {
        if (mine === serial) { status.textContent = labels.error || ""; form.setAttribute("data-state", "error"); }
      });
    }

    var timer = 0;
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { commit(true); apply(); }, 200);
    });
    text.addEventListener("change", function () { typing = false; });
    Object.keys(selects).forEach(function (name) {
      selects[name].addEventListener("change", function () { typing = false; commit(false); apply(); });
    });
    reset.addEventListener("click", function () {
      notice.hidden = true;
      text.value = "";
      Object.keys(selects).forEach(function (name) { selects[name].value = ""; });
      typing = false;
      commit(false);
      apply();
      text.focus();
    });
    more.addEventListener("click", function () { draw(drawn); });
    window.addEventListener("popstate", function () { typing = false; restore(); apply(); });

    restore();
    toggleLabel(state());
    if (active(state()) || !notice.hidden) fold(true);
    if (active(state())) apply();
    else {
      switcher();
      /* Counts need the index: fetched when the reader turns to the filter, not on every view. */
      form.addEventListener("focusin", function () { apply(); }, { once: true });
      form.addEventListener("pointerenter", function () { apply(); }, { once: true });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.portal-filter"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
