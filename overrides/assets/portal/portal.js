/*
 * Portal glue that must run BEFORE Material's bundle (it is included right before it). Nothing here
 * concerns the search, which is the portal's own (assets/portal/search.js, on Pagefind).
 *
 * 1. No stray requests. Material's language-selector integration fetches `sitemap.xml` next to every
 *    <link rel="alternate"> URL. Our hreflang links are absolute (canonical host), so those requests
 *    would go to another host when the site is served elsewhere, and they 404 on the real host (there
 *    is one sitemap, at the site root). We send every sitemap request to the site's own root
 *    sitemap.xml instead.
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

  /* 1. Sitemap requests -> the site root's sitemap.xml */
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

  /* 2. Language switcher: let the browser follow the link the page was built with. */
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (target && target.closest && target.closest("a.md-select__link[hreflang]")) {
      ev.stopPropagation();
    }
  }, true);

  window.portal = { lang: lang, defaultLang: defaultLang, root: root.href, langRoot: langRoot.href };
})();
