/*
 * Portal glue that must run BEFORE Material's bundle (it is included right before it). Nothing here
 * concerns the search, which is the portal's own (assets/portal/search.js, on Pagefind).
 *
 * 1. No sitemap requests. Material's bundle fetches `sitemap.xml` at every page view: once for its
 *    instant navigation and link previews (both off on this site) and once next to every
 *    <link rel="alternate"> URL for its language-selector interception (which 2. below keeps from
 *    acting), five requests on every page for nothing (and, as our hreflang links are absolute, to
 *    the canonical host when the site is served elsewhere). A sitemap request is ended before it is
 *    sent, as an aborted request, which Material's request helper takes as "done, no sitemap"
 *    (issue 20: fewer requests before a phone's page settles).
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

  /* 1. Sitemap requests: opened as usual, then "aborted" instead of sent (no network, no error) */
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var skipped = typeof WeakSet === "function" ? new WeakSet() : null;
  XMLHttpRequest.prototype.open = function (method, url) {
    try {
      var target = new URL(String(url), location.href);
      if (skipped && /\/sitemap\.xml$/.test(target.pathname)) skipped.add(this);
      else if (skipped) skipped.delete(this);
    } catch (e) { /* leave the request as it is */ }
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (skipped && skipped.has(this)) {
      var xhr = this;
      setTimeout(function () { xhr.dispatchEvent(new ProgressEvent("abort")); }, 0);
      return undefined;
    }
    return send.apply(this, arguments);
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
