// Self-check glue: once the WebAssembly rules (cmd/selfcheck) are ready, the
// start page's static first question becomes one form with all questions and
// a result that follows the answers. The rules decide; this file only shows
// and hides what the page already holds (<template id="selbstcheck-vorlage">).
// If anything fails, the static pages keep working. Nothing is stored or sent.
(function () {
  "use strict";
  var box = document.getElementById("selbstcheck");
  var vorlage = document.getElementById("selbstcheck-vorlage");
  if (!box || !vorlage || typeof Go !== "function" || typeof WebAssembly !== "object") return;

  function laden() {
    var go = new Go();
    var url = box.getAttribute("data-wasm");
    var start = WebAssembly.instantiateStreaming
      ? WebAssembly.instantiateStreaming(fetch(url, { credentials: "omit" }), go.importObject)
          .catch(function () { return arrayBuffer(url, go); })
      : arrayBuffer(url, go);
    return start.then(function (r) {
      go.run(r.instance);
      var api = window.selbstcheckRegeln;
      if (!api || api.laden(box.getAttribute("data-regeln")) !== "") throw new Error("Regeln");
      return api;
    });
  }

  function arrayBuffer(url, go) {
    return fetch(url, { credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.arrayBuffer(); })
      .then(function (b) { return WebAssembly.instantiate(b, go.importObject); });
  }

  function alle(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  function aufbauen(api) {
    var focusedValue = box.contains(document.activeElement) ? document.activeElement.value : null;
    var teile = vorlage.content.cloneNode(true);
    box.textContent = "";
    box.appendChild(teile);
    var form = box.querySelector("[data-selbstcheck-form]");
    var status = box.querySelector("[data-status]");
    var ergebnis = box.querySelector(".selbstcheck-ergebnis");
    var titel = ergebnis.querySelector("#selbstcheck-ergebnis-titel");
    var titelOffen = titel.textContent;
    var bisher = ergebnis.querySelector(".selbstcheck-bisher");
    var fragen = alle(form, "fieldset[data-frage]");
    var sichtbar = {};

    alle(ergebnis, "[data-datum]").forEach(function (el) {
      el.textContent = new Date().toLocaleDateString("de-DE", { day: "numeric", month: "long", year: "numeric" });
    });

    function sagen(text) {
      // Emptying first makes screen readers announce the same text again.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 100);
    }

    function antworten() {
      var a = {};
      alle(form, "input[type=radio]:checked").forEach(function (r) { a[r.name] = r.value; });
      return a;
    }

    function legende(fs) { return fs.querySelector("legend").innerText.replace(/\s+/g, " ").trim(); }

    function zeile(fs) {
      var r = fs.querySelector("input:checked");
      var label = form.querySelector("label[for='" + r.id + "']").textContent;
      var div = document.createElement("div");
      div.className = "selbstcheck-zeile";
      div.setAttribute("data-frage", fs.getAttribute("data-frage"));
      div.setAttribute("data-wert", r.value);
      var dt = document.createElement("dt");
      dt.textContent = legende(fs);
      var dd = document.createElement("dd");
      dd.textContent = label;
      var dd2 = document.createElement("dd");
      dd2.className = "selbstcheck-aendern";
      var a = document.createElement("a");
      a.href = "#" + fs.id;
      a.textContent = bisher.getAttribute("data-aendern");
      var ctx = document.createElement("span");
      ctx.className = "visually-hidden";
      ctx.textContent = " – " + bisher.getAttribute("data-kontext") + " " + legende(fs);
      a.appendChild(ctx);
      // Asked for by the person: focus goes to the answer to change.
      a.addEventListener("click", function (e) { e.preventDefault(); r.focus(); });
      dd2.appendChild(a);
      div.appendChild(dt); div.appendChild(dd); div.appendChild(dd2);
      return div;
    }

    function zeigen(announce) {
      var w = api.auswerten(antworten());
      if (w.fehler) return;
      var weg = {};
      w.fragen.forEach(function (id) { weg[id] = true; });
      if (w.naechste) weg[w.naechste] = true;
      var neu = null;
      fragen.forEach(function (fs) {
        var id = fs.getAttribute("data-frage");
        fs.hidden = !weg[id];
        if (weg[id] && !sichtbar[id] && id === w.naechste) neu = fs;
        sichtbar[id] = !!weg[id];
      });
      var fertig = !!w.ergebnis;
      ergebnis.setAttribute("data-outcome", w.art);
      ergebnis.setAttribute("data-ergebnis", w.ergebnis);
      alle(ergebnis, "[data-nur-offen]").forEach(function (el) { el.hidden = fertig; });
      ergebnis.querySelector(".selbstcheck-fertig").hidden = !fertig;
      var eigen = null;
      alle(ergebnis, "[data-nur-ergebnis]").forEach(function (el) {
        var passt = el.getAttribute("data-nur-ergebnis") === w.ergebnis;
        el.hidden = !passt;
        if (passt && !eigen && el.hasAttribute("data-titel")) eigen = el;
      });
      titel.textContent = eigen ? eigen.getAttribute("data-titel") : titelOffen;
      alle(ergebnis, "[data-nur-antrag]").forEach(function (el) { el.hidden = !(eigen && eigen.getAttribute("data-antrag") === "true"); });
      alle(ergebnis, "[data-nur-kontakte]").forEach(function (el) { el.hidden = !(eigen && eigen.getAttribute("data-kontakte") === "true"); });
      alle(ergebnis, "[data-kontaktgruppe]").forEach(function (el) {
        el.hidden = w.kontakt.indexOf(el.getAttribute("data-kontaktgruppe")) < 0;
      });
      bisher.textContent = "";
      if (fertig) w.fragen.forEach(function (id) { bisher.appendChild(zeile(form.querySelector("#frage-" + id))); });
      if (!announce) return;
      if (fertig) sagen(titel.textContent);
      else if (neu) sagen(status.getAttribute("data-neue-frage") + " " + legende(neu));
    }

    form.addEventListener("change", function () { zeigen(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    box.querySelector("[data-zum-ergebnis]").addEventListener("click", function () {
      titel.focus();
      titel.scrollIntoView({ block: "start" });
    });
    alle(box, "[data-drucken]").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
    zeigen(false);
    if (focusedValue) {
      // Focus was on the static form that was just replaced: keep it on the same answer.
      var gleich = fragen[0].querySelector("input[value='" + focusedValue + "']");
      if (gleich) gleich.focus();
    }
    sagen(status.getAttribute("data-bereit"));
    document.documentElement.setAttribute("data-selbstcheck-ms", String(Math.round(performance.now())));
    document.documentElement.setAttribute("data-selbstcheck", "bereit");
  }

  laden().then(aufbauen).catch(function () {
    document.documentElement.setAttribute("data-selbstcheck", "statisch");
  });
})();
