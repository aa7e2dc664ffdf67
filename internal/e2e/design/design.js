// Page-side measurements of the design tests (package design), evaluated
// through the DevTools protocol: the site itself ships no script.
(() => {
  if (window.__design) return;
  const where = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
    const text = (el.textContent || el.value || "").replace(/\s+/g, " ").trim().slice(0, 40);
    return text ? s + " „" + text + "“" : s;
  };
  // Rendered and shown: not in a closed <details>, not hidden.
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true, opacityProperty: true });
  };
  // The target of a radio button or checkbox is its label as well.
  const targetBox = (el) => {
    let r = el.getBoundingClientRect();
    if ((el.type === "radio" || el.type === "checkbox") && el.labels && el.labels.length) {
      const l = el.labels[0].getBoundingClientRect();
      const top = Math.min(r.top, l.top), left = Math.min(r.left, l.left);
      const bottom = Math.max(r.bottom, l.bottom), right = Math.max(r.right, l.right);
      r = { width: right - left, height: bottom - top };
    }
    return r;
  };
  // A link inside a sentence is exempt from the target size (WCAG 2.5.5).
  const inSentence = (a) => {
    const p = a.parentElement;
    return p && (p.textContent || "").replace(/\s+/g, " ").trim() !== (a.textContent || "").replace(/\s+/g, " ").trim();
  };
  window.__design = {
    firstScreen() {
      const h1 = document.querySelector("h1");
      const kopf = document.querySelector("header");
      const nav = document.querySelector(".hauptmenue");
      const bottom = (el) => el ? Math.round(el.getBoundingClientRect().bottom + window.scrollY) : -1;
      return {
        h1: bottom(h1), header: Math.max(bottom(kopf), bottom(nav)), h1Count: document.querySelectorAll("h1").length,
        start: bottom(document.querySelector("main .startknopf")),
      };
    },
    menuLines() {
      const items = [...document.querySelectorAll(".hauptmenue li")].filter(visible);
      const tops = new Set(items.map((li) => Math.round(li.getBoundingClientRect().top)));
      return { items: items.length, lines: tops.size };
    },
    smallTargets() {
      const sel = [
        "header a", "header summary", ".brotkrumen a", "footer a",
        "form button", "form input:not([type=hidden])", "form select", "form textarea", "form a",
        ".selbstcheck a", ".selbstcheck button", ".startknopf",
      ].join(",");
      const out = [];
      for (const el of document.querySelectorAll(sel)) {
        if (!visible(el) || el.closest(".formular-honigtopf")) continue;
        if (el.tagName === "A" && inSentence(el)) continue;
        const r = targetBox(el);
        if (r.width < 44 - 0.5 || r.height < 44 - 0.5) out.push(`${where(el)}: ${Math.round(r.width)}×${Math.round(r.height)} px`);
      }
      return out;
    },
    // Turns every stylesheet off, as when the CSS does not load.
    stylesOff() {
      document.querySelectorAll("style, link[rel=stylesheet]").forEach((e) => e.remove());
      document.querySelectorAll("[style]").forEach((e) => e.removeAttribute("style"));
      return document.styleSheets.length;
    },
    // The reading order without styles: skip link first, then header,
    // main with the h1 as its first heading, footer last.
    readingOrder() {
      const problems = [];
      const first = document.querySelector("a[href], button, input, summary");
      if (!first || !first.matches("a.skip")) problems.push("das erste Bedienelement ist nicht der Sprunglink: " + (first ? where(first) : "keins"));
      const order = ["header", "main", "footer"].map((s) => document.querySelector(s));
      if (order.some((e) => !e)) return problems.concat(["header, main oder footer fehlt"]);
      for (let i = 1; i < order.length; i++) {
        if (!(order[i - 1].compareDocumentPosition(order[i]) & Node.DOCUMENT_POSITION_FOLLOWING)) problems.push(`${order[i - 1].tagName} steht nicht vor ${order[i].tagName}`);
      }
      const h = document.querySelector("main h1, main h2, main h3");
      if (!h || h.tagName !== "H1") problems.push("die erste Überschrift in <main> ist nicht die <h1>: " + (h ? where(h) : "keine"));
      // Without CSS nothing decorative may grow: the sign keeps its size.
      for (const svg of document.querySelectorAll("svg")) {
        const r = svg.getBoundingClientRect();
        if (r.width > 96 || r.height > 96) problems.push(`${where(svg)} ist ohne CSS ${Math.round(r.width)}×${Math.round(r.height)} px groß`);
      }
      for (const img of document.querySelectorAll("img")) {
        if (!img.hasAttribute("alt")) problems.push(`${where(img)} hat kein alt`);
      }
      return problems;
    },
    // Buttons in forced colours: a border that differs from the background.
    buttonsWithoutBorder() {
      const out = [];
      for (const el of document.querySelectorAll("button, summary, .startknopf, .variante, .knopf, .knopf-link, input[type=submit]")) {
        if (!visible(el)) continue;
        const st = getComputedStyle(el);
        const w = parseFloat(st.borderTopWidth);
        if (!(w >= 1) || st.borderTopStyle === "none" || st.borderTopColor === st.backgroundColor) {
          out.push(`${where(el)}: Rahmen ${st.borderTopWidth} ${st.borderTopStyle} ${st.borderTopColor} auf ${st.backgroundColor}`);
        }
      }
      return out;
    },
    // Focuses every visible focusable element in turn and lists those that
    // show no indicator of at least 2 px (outline, or a box-shadow ring).
    focusProblems() {
      const out = [];
      const els = [...document.querySelectorAll("a[href], button, summary, input:not([type=hidden]), select, textarea")]
        .filter((el) => visible(el) && !el.closest(".formular-honigtopf"));
      for (const el of els) {
        el.focus({ focusVisible: true });
        if (document.activeElement !== el) continue;
        const st = getComputedStyle(el);
        const outline = st.outlineStyle !== "none" && parseFloat(st.outlineWidth) >= 2;
        const shadow = st.boxShadow && st.boxShadow !== "none";
        if (!outline && !shadow) out.push(`${where(el)}: kein sichtbarer Fokus (outline ${st.outlineStyle} ${st.outlineWidth})`);
      }
      return { count: els.length, problems: out };
    },
  };
})();
