/*
 * Portal glue that must run BEFORE Material's bundle (it is included right before it). Nothing here
 * concerns the search, which is the portal's own (assets/portal/search.js, on Pagefind).
 *
 * 1. One sitemap request per page view, to the right place. Material's language-selector integration
 *    fetches `sitemap.xml` next to every <link rel="alternate"> URL: the hreflang links and the Atom
 *    feed, five requests on every page. Our hreflang links are absolute (canonical host), so those
 *    requests would go to another host when the site is served elsewhere, and they 404 on the real
 *    host (there is one sitemap, at the site root). Every sitemap request the page makes is answered
 *    from one response of the site's own root sitemap.xml, fetched once (and kept by the browser's
 *    HTTP cache for the next page, as long as the server allows).
 * 2. The language switcher keeps the page: mkdocs-static-i18n already links each language's version
 *    of the current page; Material's click interception (built on those sitemaps) would rewrite it to
 *    the language home or a slash-less URL, so clicks on switcher links are kept from reaching it.
 *    (catalogue-filter.js adds a catalogue's filter to those links, so the switcher keeps it too.)
 * 3. The drawer and search toggles start closed. The theme's autocomplete="off" on them, invalid HTML
 *    on a checkbox, is taken out at build time (scripts/portal/site/theme_markup.py); it kept Firefox
 *    from restoring a checked toggle on reload, which clearing them here, before the bundle reads
 *    them, does instead.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var defaultLang = script.getAttribute("data-default-lang") || "en";
  var languages = (script.getAttribute("data-languages") || "").split(/\s+/).filter(Boolean);
  ["__drawer", "__search"].forEach(function (id) {
    var toggle = document.getElementById(id);
    if (toggle) toggle.checked = false;
  });
  var configEl = document.getElementById("__config");
  if (!configEl) return;
  var config = JSON.parse(configEl.textContent);

  /* Site root: Material's base is the path from this page to its language's root, and data-up the
     path from there to the whole site's root ("../" when each language is built on its own). */
  var up = script.getAttribute("data-up") || "";
  var root = new URL(up, new URL(config.base.replace(/\/?$/, "/"), location.href));
  var lang = document.documentElement.getAttribute("lang") || defaultLang;
  if (languages.indexOf(lang) < 0) lang = defaultLang;
  var langRoot = lang === defaultLang ? root : new URL(lang + "/", root);

  /* 1. Sitemap requests -> one fetch of the site root's sitemap.xml. Material asks through
     XMLHttpRequest; each request is answered from that fetch with a finished request's fields and
     events (for the response types Material and its helpers use: blob, text, document). */
  var siteMap = new URL("sitemap.xml", root).href;
  var shared = null; // the Blob's promise, made on the first request
  var proto = XMLHttpRequest.prototype, xhrOpen = proto.open, xhrSend = proto.send, xhrAbort = proto.abort;
  function settle(xhr, fields, events) {
    if (xhr.__portalSitemap !== "sent") return; // aborted meanwhile
    xhr.__portalSitemap = "done";
    fields.readyState = 4;
    for (var key in fields) Object.defineProperty(xhr, key, { value: fields[key], configurable: true });
    ["readystatechange"].concat(events, "loadend").forEach(function (type) {
      xhr.dispatchEvent(new ProgressEvent(type));
    });
  }
  proto.open = function (method, url) {
    this.__portalSitemap = "";
    try {
      if (/^get$/i.test(method) && /\/sitemap\.xml$/.test(new URL(String(url), location.href).pathname)) {
        this.__portalSitemap = "opened";
      }
    } catch (e) { /* leave the request as it is */ }
    return xhrOpen.apply(this, arguments);
  };
  proto.send = function () {
    if (this.__portalSitemap !== "opened") return xhrSend.apply(this, arguments);
    var xhr = this, type = xhr.responseType;
    xhr.__portalSitemap = "sent";
    shared = shared || fetch(siteMap).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.blob();
    });
    shared.then(function (blob) {
      return (type === "blob" ? Promise.resolve(blob) : blob.text()).then(function (body) {
        if (type === "document") body = new DOMParser().parseFromString(body, "text/xml");
        var fields = { status: 200, statusText: "OK", responseURL: siteMap, response: body,
          getResponseHeader: function (name) { return /^content-type$/i.test(name) ? blob.type || null : null; } };
        if (type === "" || type === "text") fields.responseText = body;
        if (type === "document") fields.responseXML = body;
        settle(xhr, fields, ["load"]);
      });
    }, function () { settle(xhr, { status: 0 }, ["error"]); });
  };
  proto.abort = function () {
    if (this.__portalSitemap === "sent") settle(this, { status: 0 }, ["abort"]);
    return xhrAbort.apply(this, arguments);
  };

  /* 2. Language switcher: let the browser follow the link the page was built with. */
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (target && target.closest && target.closest("a.md-select__link[hreflang]")) {
      ev.stopPropagation();
    }
  }, true);

  window.portal = { lang: lang, defaultLang: defaultLang, root: root.href, langRoot: langRoot.href };
})();
