/*
 * Portal search worker: a thin wrapper around Material for MkDocs' own search worker.
 *
 * Why a wrapper and not a fork: Material's worker (lunr + lunr-languages) is kept exactly as shipped;
 * this file only fixes three gaps of the stock stack, measured in headless Chromium:
 *
 * 1. Stemming never applied to what readers type. Material appends "*" to every plain query term
 *    ("отходов" -> "отходов*"), and lunr runs no pipeline (no stemmer) on wildcard terms, so an
 *    inflected word never meets the stem in the index ("отход"). We rewrite each plain term t into
 *    "t t^1": Material keeps the first as a prefix match (results while typing), the second carries
 *    a boost, so Material leaves it without "*" and lunr stems it like the indexed text.
 * 2. Finnish -us/-ys nouns are not conflated by the Snowball stemmer ("kiertotalous" stays
 *    "kiertotalous", "kiertotalouden" becomes "kiertotaloud"). We wrap lunr.fi.stemmer with a small
 *    normalisation applied to the index and the query alike (see normaliseFi).
 * 3. Place and organization names in another script: each language's index carries an alias table
 *    (config.portal_aliases, built by scripts/portal/site/search_index.py from the vocabularies
 *    and organization records); a query naming "Санкт-Петербург" or "Saint Petersburg" on /fi/ is
 *    extended with the Finnish name "Pietari".
 *
 * The page passes the URL of Material's worker as ?material=… (see overrides/main.html), so no hashed
 * file name is written here and a Material upgrade needs no change in this file.
 */
(function () {
  "use strict";

  var params = new URL(self.location.href).searchParams;
  var materialUrl = new URL(params.get("material"), self.location.href).href;

  /* Material's worker loads the lunr-languages scripts with paths relative to its own location
     ("../lunr/min/…"); resolve them against that location rather than against this file's. */
  var nativeImportScripts = self.importScripts.bind(self);
  self.importScripts = function () {
    var urls = Array.prototype.map.call(arguments, function (url) {
      return new URL(url, materialUrl).href;
    });
    nativeImportScripts.apply(null, urls);
    patchLanguages();
  };

  /* ---------------------------------------------------------------- Finnish normalisation */

  /* Applied after the Snowball stem, to indexed words and query words alike, so that it can only
     merge forms, never split them:
     - derived nouns in -us/-ys keep -u/-y before their case endings: talous, talouden, taloutta,
       kestävyys, kestävyyden, yritys, yrityksen, yritysten -> talou, kestävyy, yrity;
     - a stem-final -e/-i that Snowball leaves on some nominatives (jäte, Suomi) is dropped so they
       meet their inflected forms (jät, suome -> suom);
     - consonant gradation ng/nk (kaupunki, kaupungin) -> nk. */
  function normaliseFi(word) {
    if (word.length < 4) return word;
    var w = word.length < 5 ? word : word.replace(/([uy])(?:ks|st|s|d|t)$/, "$1");
    if (w === word) w = word.replace(/([^aeiouyäö])[ei]$/, "$1");
    return w.replace(/ng$/, "nk");
  }

  var patched = false;
  function patchLanguages() {
    var lunr = self.lunr;
    if (patched || !lunr || !lunr.fi || !lunr.fi.stemmer) return;
    patched = true;
    var stem = lunr.fi.stemmer;
    var wrapped = function (token, i, tokens) {
      var out = stem(token, i, tokens);
      return out && out.update ? out.update(normaliseFi) : out;
    };
    lunr.Pipeline.registerFunction(wrapped, "stemmer-fi-portal");
    lunr.fi.stemmer = wrapped;
  }

  /* ---------------------------------------------------------------- query rewriting */

  var aliases = []; /* [{variants: [[word, …], …], expand: "text"}] */

  function normalise(text) {
    return text.toLowerCase().replace(/ё/g, "е")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  /* A query word matches an alias word when equal, or when it is the alias word plus a short
     inflectional ending (Pietarissa, Петербурге, Helsingin is not covered: gradation). */
  function wordMatches(q, a) {
    if (q === a) return true;
    return a.length >= 4 && q.length - a.length <= 4 && q.indexOf(a) === 0;
  }

  function containsSequence(words, seq) {
    for (var i = 0; i + seq.length <= words.length; i++) {
      var ok = true;
      for (var j = 0; j < seq.length && ok; j++) ok = wordMatches(words[i + j], seq[j]);
      if (ok) return true;
    }
    return false;
  }

  function expandAliases(query) {
    var words = normalise(query).split(" ");
    var extra = [];
    for (var k = 0; k < aliases.length; k++) {
      var entry = aliases[k];
      for (var v = 0; v < entry.variants.length; v++) {
        if (containsSequence(words, entry.variants[v])) {
          if (extra.indexOf(entry.expand) < 0) extra.push(entry.expand);
          break;
        }
      }
    }
    return extra;
  }

  /* A plain term: letters, digits and inner hyphens/apostrophes/dots only, no lunr operators. */
  var PLAIN = /^[\p{L}\p{N}][\p{L}\p{N}'’.\-]*$/u;

  function rewrite(query) {
    if (typeof query !== "string" || !query.trim()) return query;
    /* Phrases in quotes are left to Material. */
    if (query.indexOf('"') >= 0) return query;
    var extra = expandAliases(query);
    var terms = query.trim().split(/\s+/).concat(
      extra.join(" ").split(/\s+/).filter(Boolean));
    var out = [];
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i].replace(/[.]+$/, "");
      if (!t) continue;
      if (PLAIN.test(t)) out.push(t, t + "^1");
      else out.push(terms[i]);
    }
    return out.join(" ");
  }

  /* Listen before Material does (this listener is registered first), rewriting the message in
     place: every listener of one message event sees the same deserialised data object. */
  var SETUP = 0, QUERY = 2;
  self.addEventListener("message", function (ev) {
    var msg = ev.data;
    if (!msg) return;
    if (msg.type === SETUP && msg.data && msg.data.config) {
      aliases = (msg.data.config.portal_aliases || []).map(function (entry) {
        return {
          variants: entry.variants.map(function (v) { return normalise(v).split(" "); })
            .filter(function (v) { return v[0]; }),
          expand: entry.expand
        };
      });
    } else if (msg.type === QUERY) {
      msg.data = rewrite(msg.data);
    }
  });

  /* Expose for tests (node or devtools): self.portalSearch.rewrite("…"). */
  self.portalSearch = { rewrite: rewrite, normaliseFi: normaliseFi };

  nativeImportScripts(materialUrl);
})();
