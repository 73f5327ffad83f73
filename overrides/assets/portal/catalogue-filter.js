/*
 * Catalogue filter: facet selects and a text box over a catalogue table, without reloading.
 *
 * Contract with the generator (scripts/templates/catalogue.md.j2):
 *   <form class="portal-filter" data-facets='[{"name": "themes", "label": "Themes",
 *         "values": [["circular-economy", "Circular economy"], …]}, …]'
 *         data-labels='{"legend", "search", "any", "reset", "shown", "none"}' hidden></form>
 *   <table class="portal-catalogue"> … <tr data-themes="circular-economy clean-tech" …> …
 * Without JavaScript the form stays hidden and the table is complete. With it, the form gets one
 * <select> per facet and a search box; a row shows when it carries every chosen facet value and its
 * text contains every word typed. The state lives in the URL query (?themes=…&q=…), replaced as the
 * reader filters, so a filtered view can be shared and survives a reload.
 */
(function () {
  "use strict";

  var DEFAULT_LABELS = {
    legend: "Filter", search: "Search in this list", any: "Any", reset: "Show all",
    shown: "{shown} of {total} shown", none: "Nothing matches these filters."
  };

  function parse(text, fallback) {
    try { return text ? JSON.parse(text) : fallback; } catch (e) { return fallback; }
  }

  function norm(text) {
    return (text || "").toLowerCase().replace(/ё/g, "е").replace(/\s+/g, " ").trim();
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function setup(form, index) {
    var table = form.parentNode.querySelector("table.portal-catalogue") ||
      document.querySelector("table.portal-catalogue");
    if (!table || form.getAttribute("data-portal-ready")) return;
    form.setAttribute("data-portal-ready", "1");

    var facets = parse(form.getAttribute("data-facets"), []);
    var labels = Object.assign({}, DEFAULT_LABELS, parse(form.getAttribute("data-labels"), {}));
    var rows = Array.prototype.slice.call(table.tBodies.length ? table.tBodies[0].rows : []);
    var texts = rows.map(function (row) { return norm(row.textContent); });
    var prefix = index ? "f" + index + "-" : "";  // several catalogues on one page keep apart
    var id = "portal-filter-" + index;

    var fieldset = el("fieldset", { "class": "portal-filter__fieldset" }, [el("legend", {}, [labels.legend])]);
    var controls = {};

    var search = el("input", { type: "search", id: id + "-q", name: "q", autocomplete: "off",
                               "class": "portal-filter__search" });
    fieldset.appendChild(el("div", { "class": "portal-filter__field" },
      [el("label", { "for": id + "-q" }, [labels.search]), search]));

    facets.forEach(function (facet) {
      var select = el("select", { id: id + "-" + facet.name, name: facet.name });
      select.appendChild(el("option", { value: "" }, [labels.any]));
      facet.values.forEach(function (pair) {
        select.appendChild(el("option", { value: String(pair[0]) }, [String(pair[1])]));
      });
      controls[facet.name] = select;
      fieldset.appendChild(el("div", { "class": "portal-filter__field" },
        [el("label", { "for": select.id }, [facet.label]), select]));
    });

    var reset = el("button", { type: "button", "class": "md-button portal-filter__reset" }, [labels.reset]);
    fieldset.appendChild(el("div", { "class": "portal-filter__field portal-filter__actions" }, [reset]));
    var status = el("p", { "class": "portal-filter__status", role: "status", "aria-live": "polite" });
    var empty = el("p", { "class": "portal-filter__none", hidden: "" }, [labels.none]);

    form.appendChild(fieldset);
    form.appendChild(status);
    form.appendChild(empty);
    form.removeAttribute("hidden");
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });

    function state() {
      var s = { q: search.value.trim() };
      Object.keys(controls).forEach(function (name) { s[name] = controls[name].value; });
      return s;
    }

    function apply(writeUrl) {
      var s = state();
      var words = norm(s.q).split(" ").filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
        Object.keys(controls).forEach(function (name) {
          if (ok && s[name]) {
            var values = (row.getAttribute("data-" + name) || "").split(/\s+/);
            ok = values.indexOf(s[name]) >= 0;
          }
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      status.textContent = labels.shown.replace("{shown}", shown).replace("{total}", rows.length);
      empty.hidden = shown > 0;
      if (writeUrl) {
        var url = new URL(location.href);
        Object.keys(s).forEach(function (name) {
          if (s[name]) url.searchParams.set(prefix + name, s[name]);
          else url.searchParams.delete(prefix + name);
        });
        history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      }
    }

    /* Restore from the URL; unknown values are ignored (a shared link may be older than the data). */
    var params = new URL(location.href).searchParams;
    search.value = params.get(prefix + "q") || "";
    Object.keys(controls).forEach(function (name) {
      var value = params.get(prefix + name);
      var select = controls[name];
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; }))
        select.value = value;
    });

    search.addEventListener("input", function () { apply(true); });
    Object.keys(controls).forEach(function (name) {
      controls[name].addEventListener("change", function () { apply(true); });
    });
    reset.addEventListener("click", function () {
      search.value = "";
      Object.keys(controls).forEach(function (name) { controls[name].value = ""; });
      apply(true);
      search.focus();
    });
    apply(false);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("form.portal-filter"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
