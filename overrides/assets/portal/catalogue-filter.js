/*
 * Catalogue filter: facets and text over EVERY record of a catalogue, through the site's Pagefind
 * index (the same per-language index as the header search, loaded by search.js), so the catalogue
 * page itself stays one fixed-size page however many records there are.
 *
 * Contract with the generator (scripts/templates/catalogue-page.md.j2, render/search_fields.py):
 *   <form class="portal-filter" data-kind="project" data-total="60"
 *         data-facets='[{"name": "themes", "label": "Themes", "values": [["circular-economy", "…"], …]}, …]'
 *         data-labels='{"legend", "search", "any", "reset", "matching": {plural forms}, "none", "more", …}' hidden>
 *   <table class="portal-catalogue"> (the rows of this page) and <nav class="portal-pager">
 *   Record pages carry Pagefind filters named like the facets (vocabulary ids) plus kind=<kind> and
 *   place=<the catalogue page the record is on>, and metadata c0…c3 (summary and the catalogue's other
 *   columns in the page's language) and place (its 0-based place in the catalogue).
 * Order: by relevance when the reader typed; otherwise the catalogue's own order, without a Pagefind
 * sort (a sort costs every search on every page an array of all pages: render/search_fields.py).
 * The search's counts per `place` value say how many matching records each catalogue page holds, so
 * the rows from..from+n are drawn by asking for the few catalogue pages that hold them and ordering
 * their results by the metadata `place`.
 * Without JavaScript the form stays hidden and the page's rows and pager are the catalogue.
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
    var facets = parse(form.getAttribute("data-facets"), []);
    var labels = parse(form.getAttribute("data-labels"), {});
    var tbody = table.tBodies[0];
    var staticRows = Array.prototype.slice.call(tbody.rows);
    var caption = table.caption;
    var staticCaption = caption ? caption.textContent : "";
    var pager = document.querySelector("nav.portal-pager");
    var columns = table.tHead ? table.tHead.rows[0].cells.length : 1;

    /* ---- controls */
    var fieldset = el("fieldset", { "class": "portal-filter__fieldset" }, [el("legend", {}, [labels.legend || ""])]);
    var text = el("input", { type: "search", id: "portal-filter-text", name: PREFIX + "text",
                             autocomplete: "off", "class": "portal-filter__search" });
    fieldset.appendChild(el("div", { "class": "portal-filter__field" },
      [el("label", { "for": text.id }, [labels.search || ""]), text]));
    var selects = {};
    facets.forEach(function (facet) {
      var select = el("select", { id: "portal-filter-" + facet.name, name: PREFIX + facet.name });
      select.appendChild(el("option", { value: "" }, [labels.any || ""]));
      facet.values.forEach(function (pair) {
        var option = el("option", { value: String(pair[0]) }, [String(pair[1])]);
        option.setAttribute("data-label", String(pair[1]));
        select.appendChild(option);
      });
      selects[facet.name] = select;
      fieldset.appendChild(el("div", { "class": "portal-filter__field" },
        [el("label", { "for": select.id }, [facet.label]), select]));
    });
    var reset = el("button", { type: "button", "class": "md-button portal-filter__reset" }, [labels.reset || ""]);
    fieldset.appendChild(el("div", { "class": "portal-filter__field portal-filter__actions" }, [reset]));
    var status = el("p", { "class": "portal-filter__status", role: "status", "aria-live": "polite" });
    var more = el("button", { type: "button", "class": "md-button portal-filter__more", hidden: "" }, [labels.more || ""]);
    form.appendChild(fieldset);
    form.appendChild(status);
    form.removeAttribute("hidden");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    table.parentNode.parentNode.insertBefore(more, table.parentNode.nextSibling);

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
      Object.keys(selects).forEach(function (name) {
        var value = params.get(PREFIX + name) || "";
        var select = selects[name];
        /* A shared link may be older than the data: unknown values are ignored. */
        select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : "";
      });
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
    function row(data) {
      var meta = data.meta || {};
      var cells = [0, 1, 2, 3].map(function (i) { return api.decode(meta["c" + i]); });
      var tr = document.createElement("tr");
      /* The record's slug, as on the generated rows: "download these rows" (download-rows.js) reads it. */
      var slug = String(data.url || "").replace(/\/+$/, "").split("/").pop();
      if (slug) tr.setAttribute("data-id", decodeURIComponent(slug));
      var link = el("a", { href: data.url }, [api.decode(meta.title) || data.url]);
      var first = document.createDocumentFragment();
      first.appendChild(link);
      if (cells[0]) {
        first.appendChild(document.createElement("br"));
        first.appendChild(el("span", { "class": "portal-summary" }, [cells[0]]));
      }
      var rest = cells.slice(1).map(function (c) { return cell(document.createTextNode(c || "")); });
      if (kind === "event") { /* date first, as in the generated table */
        tr.appendChild(rest.shift() || cell(null));
      }
      tr.appendChild(cell(first));
      rest.forEach(function (td) { tr.appendChild(td); });
      while (tr.cells.length < columns) tr.appendChild(cell(null));
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
