// Blankett review page: zones, zoom, field editing and keyboard. No inline
// script is allowed by the Content-Security-Policy, so everything is bound
// here.
//
// Keys: a field is either shown (its row has focus) or edited (its input
// has focus). J/K move between rows and never put focus in an input; Enter
// on a row starts editing, Enter in the input saves only a changed value,
// Esc leaves editing (undoing what was typed) with focus back on the row.
// One-letter keys work only where they cannot swallow input or clash with
// a focused control, and can be turned off (WCAG 2.1.4).
(function () {
  "use strict";

  var KEYS_SETTING = "blankett.shortcuts";

  function fields() { return Array.prototype.slice.call(document.querySelectorAll("li.field")); }

  function fieldLi(name) {
    return document.querySelector('li.field[data-field="' + CSS.escape(name) + '"]');
  }

  function zoneFor(name) {
    return document.querySelector('svg.page rect.zone[data-field="' + CSS.escape(name) + '"]');
  }

  function labelOf(li) {
    var l = li && li.querySelector("label");
    return l ? l.textContent.trim() : "";
  }

  function valueOf(li) { return li ? li.querySelector(".value") : null; }

  // changed reports whether a field's control differs from the value the
  // page was rendered with.
  function changed(control) {
    if (!control) return false;
    if (control.tagName === "SELECT") {
      return Array.prototype.some.call(control.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    return control.value !== control.defaultValue;
  }

  function revert(control) {
    if (control.tagName === "SELECT") {
      Array.prototype.forEach.call(control.options, function (o) { o.selected = o.defaultSelected; });
    } else {
      control.value = control.defaultValue;
    }
  }

  // --- status messages ------------------------------------------------------

  // say announces a message in the page's live region and, for a field,
  // shows it beside the field.
  function say(message, li) {
    var live = document.getElementById("live");
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message; }, 30);
    }
    if (li) {
      var note = li.querySelector(".field-note");
      if (note) { note.textContent = message; note.classList.remove("error"); }
    }
  }

  // fieldError shows an error beside the field, marks its control invalid
  // and keeps focus there.
  function fieldError(li, message) {
    var note = li.querySelector(".field-note");
    var control = valueOf(li);
    if (note) {
      note.textContent = "";
      var icon = document.createElement("span");
      icon.className = "icon"; icon.setAttribute("aria-hidden", "true"); icon.textContent = "✖";
      note.append(icon, " Fel: " + message);
      note.classList.add("error");
    }
    li.classList.add("save-failed");
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    }
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = "Fel i " + labelOf(li) + ": " + message; }, 30); }
  }

  // --- page image and zoom --------------------------------------------------

  function full(svg) { return svg.dataset.full.split(" ").map(Number); }
  function box(svg) { return svg.getAttribute("viewBox").split(" ").map(Number); }

  function setView(svg, vb, caption) {
    svg.setAttribute("viewBox", vb.map(function (n) { return Math.round(n * 10) / 10; }).join(" "));
    var fig = svg.closest("figure");
    var c = fig && fig.querySelector(".zoom-state");
    if (c) c.textContent = caption || "";
  }

  function resetZoom() {
    document.querySelectorAll("svg.page").forEach(function (svg) { setView(svg, full(svg), ""); });
    document.querySelectorAll("rect.zone.active").forEach(function (r) { r.classList.remove("active"); });
  }

  // zoomTo shows a field's zone with a little of what is around it. A
  // narrow zone gets a view at least a quarter of the page wide; a wide
  // one a strip no wider than the page, so it is enlarged too: the image
  // fills its column and the strip's height follows its own proportions.
  function zoomTo(name) {
    document.querySelectorAll("rect.zone.active").forEach(function (r) { r.classList.remove("active"); });
    var rect = zoneFor(name);
    if (!rect) return false;
    var svg = rect.ownerSVGElement;
    var f = full(svg), W = f[2], H = f[3];
    var x = +rect.getAttribute("x"), y = +rect.getAttribute("y");
    var w = +rect.getAttribute("width"), h = +rect.getAttribute("height");
    var pad = Math.max(12, W * 0.015);
    var vw = Math.min(W, Math.max(w + 2 * pad, W * 0.25));
    var vh = Math.min(H, Math.max(h * 3 + 2 * pad, vw * 0.22));
    var vx = Math.max(0, Math.min(W - vw, x + w / 2 - vw / 2));
    var vy = Math.max(0, Math.min(H - vh, y + h / 2 - vh / 2));
    setView(svg, [vx, vy, vw, vh], "Förstorat: " + (rect.dataset.label || ""));
    rect.classList.add("active");
    showFigure(svg);
    return true;
  }

  // zoom enlarges (factor < 1) or shrinks the view of the page in use.
  function zoom(factor) {
    var active = document.querySelector("rect.zone.active");
    var svg = active ? active.ownerSVGElement : document.querySelector("svg.page");
    if (!svg) return;
    var f = full(svg), v = box(svg);
    var vw = Math.min(f[2], Math.max(f[2] * 0.08, v[2] * factor));
    var vh = Math.min(f[3], Math.max(f[3] * 0.04, v[3] * factor));
    var cx = v[0] + v[2] / 2, cy = v[1] + v[3] / 2;
    var vx = Math.max(0, Math.min(f[2] - vw, cx - vw / 2));
    var vy = Math.max(0, Math.min(f[3] - vh, cy - vh / 2));
    if (vw >= f[2] && vh >= f[3]) { setView(svg, f, ""); return; }
    setView(svg, [vx, vy, vw, vh], "Förstorat " + Math.round(100 * f[2] / vw) + " %");
    showFigure(svg);
  }

  // showFigure scrolls the image column so that a page is in view.
  function showFigure(svg) {
    var viewer = svg.closest(".viewer"), fig = svg.closest("figure");
    if (!viewer || !fig) return;
    var top = fig.getBoundingClientRect().top - viewer.getBoundingClientRect().top + viewer.scrollTop;
    if (Math.abs(viewer.scrollTop - top) > 2 && viewer.scrollHeight > viewer.clientHeight) viewer.scrollTop = top;
  }

  // --- fields ---------------------------------------------------------------

  function activate(li) {
    fields().forEach(function (f) { if (f !== li) f.classList.remove("active"); });
    if (!li) return;
    li.classList.add("active");
    if (!zoomTo(li.dataset.field)) resetZoom();
  }

  // show puts focus on a field's row: shown, not edited.
  function show(li) {
    if (!li) return;
    activate(li);
    li.focus({ preventScroll: true });
    li.scrollIntoView({ block: "nearest" });
  }

  // edit puts focus in a field's control, the caret after its text.
  function edit(li) {
    var control = valueOf(li);
    if (!control || control.disabled) { say("Fältet kan inte ändras nu.", li); return; }
    activate(li);
    control.focus();
    if (control.setSelectionRange && control.type !== "email") {
      var n = control.value.length;
      control.setSelectionRange(n, n);
    }
  }

  function current() {
    var el = document.activeElement;
    var li = el && el.closest && el.closest("li.field");
    return li || document.querySelector("li.field.active");
  }

  function move(delta) {
    var list = fields();
    if (!list.length) return;
    var i = list.indexOf(current());
    i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + delta));
    show(list[i]);
  }

  // useRegistered saves, as the field's value, the registry's spelling of
  // a name or an address read near it (the button's), as typing it would.
  function useRegistered(button) {
    var li = button.closest("li.field");
    var control = valueOf(li);
    if (!control || control.disabled) return;
    control.value = button.dataset.value;
    control.form.requestSubmit();
  }

  // leave ends editing: what was typed is undone and focus returns to the
  // field's row.
  function leave(li) {
    var control = valueOf(li);
    if (control && changed(control)) {
      revert(control);
      say("Ändringen i " + labelOf(li) + " är ångrad.", li);
    }
    show(li);
  }

  var focusAfterSwap = null;

  // A field's form is sent only when its value changed; the panel that
  // comes back puts focus on the next field's row.
  document.addEventListener("submit", function (e) {
    var li = e.target.closest && e.target.closest("li.field");
    if (li) {
      var control = valueOf(li);
      if (!changed(control)) {
        e.preventDefault();
        e.stopImmediatePropagation();
        say(labelOf(li) + " är oförändrat: inget sparades.", li);
        show(li);
        return;
      }
      var list = fields(), i = list.indexOf(li);
      focusAfterSwap = { next: list[i + 1] ? list[i + 1].dataset.field : li.dataset.field, field: li.dataset.field };
      return;
    }
    if (e.target.id === "decision") checkDecision(e);
  }, true);

  // The page's zones follow the fields' state after a correction.
  function syncZones() {
    fields().forEach(function (li) {
      var z = zoneFor(li.dataset.field);
      if (!z) return;
      z.classList.toggle("error", li.classList.contains("has-error"));
      z.classList.toggle("low", li.classList.contains("low"));
      z.classList.toggle("unread", li.classList.contains("unread"));
    });
  }

  function formField(elt) {
    var form = elt && elt.closest && elt.closest("form");
    return form && form.closest("li.field");
  }

  // A refused save keeps the field as typed, with the reason beside it.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var li = formField(e.detail.requestConfig && e.detail.requestConfig.elt);
    if (!li || e.detail.xhr.status < 400) return;
    e.detail.shouldSwap = false;
    e.detail.isError = false;
    focusAfterSwap = null;
    var doc = new DOMParser().parseFromString(e.detail.serverResponse || "", "text/html");
    var msg = doc.querySelector(".notice.error .msg") || doc.querySelector(".notice.error");
    fieldError(li, msg ? msg.textContent.trim() : "Värdet kunde inte sparas.");
  });

  document.addEventListener("htmx:sendError", function (e) {
    var li = formField(e.detail.requestConfig && e.detail.requestConfig.elt);
    focusAfterSwap = null;
    if (li) fieldError(li, "Ingen kontakt med servern. Värdet är inte sparat; försök igen.");
  });

  document.addEventListener("htmx:afterSwap", function () {
    syncZones();
    var ok = document.querySelector("#panel .panel-messages .notice.ok");
    if (focusAfterSwap) {
      var saved = fieldLi(focusAfterSwap.field);
      var next = fieldLi(focusAfterSwap.next);
      focusAfterSwap = null;
      show(next || saved);
      say((ok ? ok.textContent.trim() + " " : "") + (saved ? labelOf(saved) + " är sparat." : ""));
    } else if (ok) {
      say(ok.textContent.trim());
    }
  });

  // --- decisions --------------------------------------------------------

  function markMissing(el, message) {
    var id = el.id + "-error";
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.id = id; p.className = "field-note error";
      el.insertAdjacentElement("afterend", p);
      el.setAttribute("aria-describedby", ((el.getAttribute("aria-describedby") || "") + " " + id).trim());
    }
    p.textContent = "";
    var icon = document.createElement("span");
    icon.className = "icon"; icon.setAttribute("aria-hidden", "true"); icon.textContent = "✖";
    p.append(icon, " Fel: " + message);
    el.setAttribute("aria-invalid", "true");
  }

  function clearMissing(el) {
    var p = document.getElementById(el.id + "-error");
    if (p) p.textContent = "";
    el.removeAttribute("aria-invalid");
  }

  // checkDecision stops a decision the server would refuse, and says
  // beside the box what is missing; what was typed stays.
  function checkDecision(e) {
    var form = e.target, outcome = e.submitter ? e.submitter.value : "";
    if (unsaved()) { e.preventDefault(); return; }
    var missing = [];
    form.querySelectorAll("textarea").forEach(clearMissing);
    if (outcome === "approve") {
      form.querySelectorAll("textarea.override").forEach(function (t) {
        if (!t.value.trim()) { markMissing(t, "Skriv varför du godkänner trots felet."); missing.push(t); }
      });
    } else if (outcome === "reject" || outcome === "complete") {
      var reason = document.getElementById("reason");
      if (reason && !reason.value.trim()) {
        markMissing(reason, outcome === "reject" ? "Skriv ett skäl för avslaget: det står i brevet." : "Skriv vad som ska kompletteras: det står i brevet.");
        missing.push(reason);
      }
    }
    if (missing.length) {
      e.preventDefault();
      missing[0].focus();
      say("Beslutet är inte skickat: " + missing.length + (missing.length === 1 ? " ruta saknar text." : " rutor saknar text."));
    }
  }

  function decide(outcome) {
    var form = document.getElementById("decision");
    if (!form) { var c = document.getElementById("confirm"); if (c && outcome === "approve") c.focus(); return; }
    if (outcome === "approve") {
      var empty = Array.prototype.find.call(form.querySelectorAll("textarea.override"), function (t) { return !t.value.trim(); });
      if (empty) { empty.focus(); say("Skriv ett skäl för varje fel innan du godkänner."); return; }
      document.getElementById("approve").focus(); // Enter approves
      return;
    }
    var reason = document.getElementById("reason");
    reason.dataset.outcome = outcome;
    reason.focus();
  }

  // unsaved stops leaving or deciding while a field holds a value that
  // is not saved: it says so beside the field and puts focus there.
  function unsaved() {
    var dirty = fields().find(function (li) { return changed(valueOf(li)); });
    if (!dirty) return false;
    say("Osparad ändring i " + labelOf(dirty) + ". Spara med Enter eller ångra med Esc först.", dirty);
    valueOf(dirty).focus();
    return true;
  }

  function nextDocument() {
    var next = document.getElementById("next-doc");
    if (!next || unsaved()) return;
    window.location.assign(next.href);
  }

  // --- settings and help ----------------------------------------------------

  function shortcutsOn() {
    try { return window.localStorage.getItem(KEYS_SETTING) !== "off"; } catch (err) { return true; }
  }

  function setShortcuts(on) {
    try { window.localStorage.setItem(KEYS_SETTING, on ? "on" : "off"); } catch (err) { /* private mode: this page only */ }
    document.documentElement.classList.toggle("shortcuts-off", !on);
  }

  var helpReturn = null;

  function openHelp() {
    var help = document.getElementById("keys-help");
    if (!help || help.open) return;
    helpReturn = document.activeElement;
    help.showModal();
    var close = document.getElementById("keys-help-close");
    if (close) close.focus();
  }

  function setup() {
    // A confirmation that came with the page (after a redirect) is
    // announced too, not only shown.
    var flash = document.querySelector("#messages .notice.ok");
    if (flash) say(flash.textContent.trim());
    var keys = document.getElementById("keys");
    if (keys) keys.hidden = false;
    var toggle = document.getElementById("keys-on");
    if (toggle) {
      toggle.checked = shortcutsOn();
      document.documentElement.classList.toggle("shortcuts-off", !toggle.checked);
      toggle.addEventListener("change", function () {
        setShortcuts(toggle.checked);
        say(toggle.checked ? "Kortkommandon med en bokstav är på." : "Kortkommandon med en bokstav är av.");
      });
    }
    var open = document.getElementById("keys-help-open");
    if (open) open.addEventListener("click", openHelp);
    var help = document.getElementById("keys-help");
    if (help) {
      help.addEventListener("close", function () {
        var back = helpReturn;
        helpReturn = null;
        if (back && document.contains(back) && back !== document.body) back.focus();
        else { var li = current(); if (li) show(li); }
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup); else setup();

  // --- pointer --------------------------------------------------------------

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (!t.closest) return;
    var zone = t.closest("rect.zone");
    if (zone) { show(fieldLi(zone.dataset.field)); return; }
    var use = t.closest(".use-registered");
    if (use) { useRegistered(use); return; }
    var flag = t.closest("li.field .flag, li.field .read");
    if (flag) { show(flag.closest("li.field")); return; }
    var go = t.closest(".goto-field");
    if (go) { show(fieldLi(go.dataset.field)); return; }
    if (t.closest(".reset-zoom")) { resetZoom(); return; }
    if (t.closest("#next-doc") && unsaved()) { e.preventDefault(); return; }
    if (t.closest(".zoom-in")) { zoom(0.8); return; }
    if (t.closest(".zoom-out")) { zoom(1.25); }
  });

  document.addEventListener("focusin", function (e) {
    var li = e.target.closest && e.target.closest("li.field");
    if (li && !li.classList.contains("active")) activate(li);
  });

  document.addEventListener("input", function (e) {
    var li = formField(e.target);
    if (li && li.classList.contains("save-failed")) {
      // The reason stays until the next save; typing is not hidden by it.
      li.classList.remove("save-failed");
    }
    if (e.target.matches && e.target.matches("textarea[aria-invalid]") && e.target.value.trim()) clearMissing(e.target);
  });

  // --- keyboard -------------------------------------------------------------

  // Where a key is typed text or has a meaning of its own.
  var TYPING = "input, textarea, select, [contenteditable]:not([contenteditable=false])";
  var CONTROLS = "a[href], button, summary, label, [role=button], [role=link], [role=tab], [role=menuitem], [role=checkbox], dialog, audio, video";

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.isComposing) return;
    var t = e.target instanceof Element ? e.target : document.body;
    var li = t.closest("li.field");

    if (t.closest(TYPING)) {
      if (li && t.matches(".value")) {
        if (e.key === "Escape") { e.preventDefault(); leave(li); return; }
        if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey) {
          e.preventDefault();
          if (!changed(t)) { say(labelOf(li) + " är oförändrat: inget sparades.", li); show(li); return; }
          t.form.requestSubmit();
        }
        return;
      }
      if (t.id === "reason" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var b = document.getElementById(t.dataset.outcome === "complete" ? "complete" : "reject");
        if (b) b.click();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;

    // Enter and Esc on a field's row: not single-character shortcuts, so
    // they work with the shortcuts turned off too.
    if (li && t === li) {
      if (e.key === "Enter") { e.preventDefault(); edit(li); return; }
      if (e.key === "Escape") { e.preventDefault(); resetZoom(); return; }
    }
    if (t.closest(CONTROLS)) return;
    if (e.key === "Escape") {
      if (document.querySelector("svg.page")) { resetZoom(); }
      return;
    }
    if (!document.querySelector(".review") || !shortcutsOn()) return;
    switch (e.key) {
      case "j": case "J": e.preventDefault(); move(1); break;
      case "k": case "K": e.preventDefault(); move(-1); break;
      case "g": case "G": e.preventDefault(); decide("approve"); break;
      case "a": case "A": e.preventDefault(); decide("reject"); break;
      case "b": case "B": e.preventDefault(); decide("complete"); break;
      case "n": case "N": e.preventDefault(); nextDocument(); break;
      case "+": case "=": e.preventDefault(); zoom(0.8); break;
      case "-": e.preventDefault(); zoom(1.25); break;
      case "0": e.preventDefault(); resetZoom(); break;
      case "?": e.preventDefault(); openHelp(); break;
    }
  });
})();
