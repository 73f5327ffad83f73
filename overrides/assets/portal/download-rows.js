/*
 * "Download these rows": a CSV of exactly the catalogue rows the reader sees.
 *
 * Independent of how the catalogue is filtered (today catalogue-filter.js, later Pagefind): it only
 * asks which rows are rendered. Contract with the generator (scripts/templates/catalogue.md.j2):
 *   <table class="portal-catalogue"> … <tr data-id="ekolend"> …
 *   <div class="portal-download" data-src="../data/projects.en.json" data-file="projects.en"
 *        data-label="Download these rows (CSV)"> <p>…links to the whole files…</p> </div>
 * The rows come from the per-language JSON file (scripts/portal/export/tables.py), and the CSV is
 * written exactly as the published CSV files are: same columns, lists joined with "; ", RFC 4180
 * quoting, CRLF line ends, an apostrophe before a would-be spreadsheet formula, and a UTF-8 byte
 * order mark in front, so that a spreadsheet opening it reads Cyrillic and ä/ö right.
 */
(function () {
  "use strict";

  var SEPARATOR = "; ";
  var NUMBER = /^[+-]?\d+(\.\d+)?$/;

  /* Ids of the rows of a table that are rendered (not hidden by any filter), in table order. */
  function visibleIds(table) {
    return Array.prototype.filter.call(table.querySelectorAll("tbody tr[data-id]"), function (row) {
      return row.getClientRects().length > 0;
    }).map(function (row) { return row.getAttribute("data-id"); });
  }

  function cell(value) {
    var text = Array.isArray(value) ? value.map(String).join(SEPARATOR) : (value == null ? "" : String(value));
    if (/^[=+\-@\t\r]/.test(text) && !NUMBER.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* CSV of the records whose id is in ids, in the order of ids; columns as in the JSON objects. */
  function toCsv(records, ids) {
    if (!records.length) return "";
    var columns = Object.keys(records[0]);
    var byId = {};
    records.forEach(function (r) { byId[r.id] = r; });
    var lines = [columns.map(cell).join(",")];
    ids.forEach(function (id) {
      var record = byId[id];
      if (record) lines.push(columns.map(function (c) { return cell(record[c]); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function save(text, name) {
    var url = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function setup(box) {
    var table = document.querySelector("table.portal-catalogue");
    if (!table || box.getAttribute("data-portal-ready")) return;
    box.setAttribute("data-portal-ready", "1");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button portal-download__button";
    button.textContent = box.getAttribute("data-label") || "Download these rows (CSV)";
    button.addEventListener("click", function () {
      var ids = visibleIds(table);
      button.disabled = true;
      fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (records) {
          save(toCsv(records, ids), (box.getAttribute("data-file") || "rows") + ".selection.csv");
        })
        .finally(function () { button.disabled = false; });
    });
    box.insertBefore(button, box.firstChild);
  }

  window.portalDownloadRows = { visibleIds: visibleIds, toCsv: toCsv };

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".portal-download"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
