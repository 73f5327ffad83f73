/*
 * Portal glue that must run BEFORE Material's bundle (it is included right before it).
 *
 * 1. Search per language. Material fetches `search/search_index.json` relative to `config.base` and
 *    resolves result links against it. We point `config.base` at the language root (/ru/, /fi/), where
 *    scripts/portal/site/search_index.py writes that language's own index, and replace the
 *    search worker by the portal wrapper (assets/portal/search-worker.js), telling it where
 *    Material's worker is, so no hashed file name is written anywhere in the portal.
 * 2. No stray requests. Material's language-selector integration fetches `sitemap.xml` next to every
 *    <link rel="alternate"> URL. Our hreflang links are absolute (canonical host), so those requests
 *    would go to another host when the site is served elsewhere, and they 404 on the real host (there
 *    is one sitemap, at the site root). We send every sitemap request to the site's own root
 *    sitemap.xml instead.
 * 3. The language switcher keeps the page: mkdocs-static-i18n already links each language's version
 *    of the current page; Material's click interception (built on those sitemaps) would rewrite it to
 *    the language home or a slash-less URL, so clicks on switcher links are kept from reaching it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var defaultLang = script.getAttribute("data-default-lang") || "en";
  var languages = (script.getAttribute("data-languages") || "").split(/\s+/).filter(Boolean);
  var configEl = document.getElementById("__config");
  if (!configEl) return;
  var config = JSON.parse(configEl.textContent);

  /* Site root: Material's base is the path from this page to the site root. */
  var root = new URL(config.base.replace(/\/?$/, "/"), location.href);
  var lang = document.documentElement.getAttribute("lang") || defaultLang;
  if (languages.indexOf(lang) < 0) lang = defaultLang;
  var langRoot = lang === defaultLang ? root : new URL(lang + "/", root);

  config.base = langRoot.href;
  var worker = script.getAttribute("data-search-worker");
  if (worker && config.search) {
    config.search = new URL(worker, location.href).href +
      "?material=" + encodeURIComponent(new URL(config.search, location.href).href);
  }
  configEl.textContent = JSON.stringify(config);

  /* 2. Sitemap requests -> the site root's sitemap.xml */
  var siteMap = new URL("sitemap.xml", root).href;
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    try {
      var target = new URL(String(url), location.href);
      if (/\/sitemap\.xml$/.test(target.pathname) && target.href !== siteMap) args[1] = siteMap;
    } catch (e) { /* leave the request as it is */ }
    return open.apply(this, args);
  };

  /* 3. Language switcher: let the browser follow the link the page was built with. */
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (target && target.closest && target.closest("a.md-select__link[hreflang]")) {
      ev.stopPropagation();
    }
  }, true);

  window.portal = { lang: lang, defaultLang: defaultLang, root: root.href, langRoot: langRoot.href };
})();
