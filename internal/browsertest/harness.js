// Page-side helpers of the Go package browsertest. Injected by the test
// harness through the DevTools protocol (so it works with page scripts off);
// the site itself never ships it.
(() => {
  if (window.__bt) return;

  // What can make focus visible: outline, ring, colours, border, underline, and
  // the box changes a visually hidden skip link makes when it appears.
  const PROPS = [
    "outline-style", "outline-width", "outline-color", "outline-offset",
    "box-shadow", "background-color", "background-image", "color",
    "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
    "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
    "text-decoration-line", "text-decoration-thickness", "text-decoration-color",
    "text-underline-offset", "position", "clip", "clip-path", "transform", "opacity",
    "width", "height",
  ];
  const PSEUDO_PROPS = ["content", "outline-style", "outline-width", "outline-color",
    "box-shadow", "background-color", "border-top-color", "border-bottom-color", "border-bottom-width"];

  const short = (s, n) => {
    s = (s || "").replace(/\s+/g, " ").trim();
    return s.length > n ? s.slice(0, n - 1) + "…" : s;
  };

  const cssPath = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && parts.length < 5; e = e.parentElement) {
      if (e.id) { parts.unshift("#" + CSS.escape(e.id)); break; }
      let p = e.tagName.toLowerCase();
      const parent = e.parentElement;
      if (parent) {
        const same = Array.from(parent.children).filter((c) => c.tagName === e.tagName);
        if (same.length > 1) p += ":nth-of-type(" + (same.indexOf(e) + 1) + ")";
      }
      parts.unshift(p);
    }
    return parts.join(" > ");
  };

  const describe = (el) => ({
    tag: el.tagName.toLowerCase(),
    id: el.id || "",
    selector: cssPath(el),
    text: short(el.innerText || el.value || el.getAttribute("aria-label") || "", 60),
    href: el.getAttribute("href") || "",
    html: short(el.outerHTML, 160),
  });

  const deepActive = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a && a !== document.body && a !== document.documentElement ? a : null;
  };

  // Finish running transitions so a style read is the end state, not a frame
  // in between.
  const settle = (el) => {
    for (const an of el.getAnimations ? el.getAnimations({ subtree: false }) : []) {
      try { an.finish(); } catch (e) { /* infinite animations cannot finish */ }
    }
  };

  const styles = (el) => {
    settle(el);
    const out = {};
    const cs = getComputedStyle(el);
    for (const p of PROPS) out[p] = cs.getPropertyValue(p);
    for (const pseudo of ["::before", "::after"]) {
      const ps = getComputedStyle(el, pseudo);
      for (const p of PSEUDO_PROPS) out[pseudo + " " + p] = ps.getPropertyValue(p);
    }
    return out;
  };

  const inView = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
      r.top < innerHeight && r.left < innerWidth;
  };

  let prev = null;
  let seen = new WeakSet();

  window.__bt = {
    focused: () => {
      const a = deepActive();
      return a ? describe(a) : null;
    },

    // One step of a keyboard walk, called after each Tab: the new focus with
    // its focused styles, and the styles of the element that just lost focus.
    step: () => {
      const out = { done: false, repeat: false, same: false, inView: false, el: null, focused: null, prevUnfocused: null };
      const a = deepActive();
      // Tab inside a closed shadow root (video controls, date pickers) keeps
      // the host as activeElement: one stop, not a repeat.
      if (a && a === prev) { out.same = true; return out; }
      if (prev && prev.isConnected) out.prevUnfocused = styles(prev);
      if (!a) { prev = null; out.done = true; return out; }
      out.el = describe(a);
      out.focused = styles(a);
      out.inView = inView(a);
      out.repeat = seen.has(a);
      seen.add(a);
      prev = a;
      return out;
    },

    reset: () => { prev = null; seen = new WeakSet(); },

    // The focused element as a skip link: a same-page fragment link and what
    // it points at.
    skipLink: () => {
      const a = deepActive();
      if (!a) return null;
      const out = { el: describe(a), isLink: false, targetFound: false, targetIsMain: false, inView: inView(a) };
      if (a.tagName !== "A" || !a.hash || a.pathname !== location.pathname) return out;
      out.isLink = true;
      const t = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      out.targetFound = !!t;
      out.targetIsMain = !!t && (t.tagName === "MAIN" || t.getAttribute("role") === "main");
      return out;
    },

    focusIsMain: () => {
      const a = deepActive();
      return !!a && (a.tagName === "MAIN" || a.getAttribute("role") === "main");
    },

    overflow: () => {
      const de = document.documentElement;
      const b = document.body;
      const vw = de.clientWidth;
      const out = {
        scrollWidth: de.scrollWidth, clientWidth: vw,
        bodyScrollWidth: b ? b.scrollWidth : 0, bodyClientWidth: b ? b.clientWidth : 0,
        scrolls: false, culprits: [],
      };
      out.scrolls = de.scrollWidth > vw || (!!b && b.scrollWidth > b.clientWidth);
      if (!out.scrolls) return out;
      // Name the innermost elements that stick out on the right.
      const wide = [];
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > vw + 0.5) wide.push(el);
      }
      const set = new Set(wide);
      for (const el of wide) {
        if (Array.from(el.children).some((c) => set.has(c))) continue;
        const d = describe(el);
        d.right = Math.round(el.getBoundingClientRect().right);
        out.culprits.push(d);
        if (out.culprits.length >= 10) break;
      }
      return out;
    },

    // What decides how keyboard focus behaves on this page: every element
    // that can take focus with its ancestor chain (tags, ids, classes and
    // the attributes styles key on) and the stylesheets. Pages with the same
    // signature come from the same template and differ only in text and in
    // how long their runs of like elements are.
    focusSignature: () => {
      const ATTRS = ["aria-current", "aria-expanded", "aria-hidden", "aria-disabled", "type", "disabled",
        "tabindex", "hidden", "open", "inert", "contenteditable", "controls", "style"];
      const node = (e) => {
        let s = e.tagName.toLowerCase();
        if (e.id) s += "#" + e.id;
        if (e.classList.length) s += "." + Array.from(e.classList).sort().join(".");
        for (const a of ATTRS) if (e.hasAttribute(a)) s += "[" + a + "=" + e.getAttribute(a) + "]";
        return s;
      };
      const sel = "a[href], area[href], button, input, select, textarea, summary, iframe, " +
        "audio[controls], video[controls], [tabindex], [contenteditable]";
      const lines = [Array.from(document.styleSheets, (s) => s.href || "inline:" + (s.ownerNode ? s.ownerNode.textContent.length : 0)).join(" ")];
      for (const el of document.querySelectorAll(sel)) {
        const chain = [];
        for (let e = el; e && e !== document.documentElement; e = e.parentElement) chain.push(node(e));
        const line = chain.join(" < ");
        // A run of like elements (the links of a list, the buttons of a
        // group) behaves the same with three members or five: count it once.
        if (line !== lines[lines.length - 1]) lines.push(line);
      }
      return lines.join("\n");
    },

    // Which elements are rendered at all (display, visibility,
    // content-visibility, on the element or an ancestor): one character per
    // element in document order.
    shown: () => Array.from(document.querySelectorAll("*"), (e) =>
      e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) ? "v" : "-").join(""),

    storage: () => {
      const out = [];
      try { if (document.cookie) out.push("document.cookie: " + document.cookie); } catch (e) {}
      try { for (let i = 0; i < localStorage.length; i++) out.push("localStorage: " + localStorage.key(i)); } catch (e) {}
      return out;
    },
  };
})();
