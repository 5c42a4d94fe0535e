// Blankett review page: zones, zoom and keyboard. No inline script is
// allowed by the Content-Security-Policy, so everything is bound here.
(function () {
  "use strict";

  function fields() { return Array.prototype.slice.call(document.querySelectorAll("li.field")); }

  function zoneFor(name) {
    return document.querySelector('svg.page rect.zone[data-field="' + CSS.escape(name) + '"]');
  }

  function resetZoom() {
    document.querySelectorAll("svg.page").forEach(function (svg) {
      svg.setAttribute("viewBox", svg.dataset.full);
    });
    document.querySelectorAll("rect.zone.active").forEach(function (r) { r.classList.remove("active"); });
  }

  // zoomTo shows a zone with some of its surroundings, keeping the page's
  // aspect ratio so the viewer does not change size.
  function zoomTo(name) {
    document.querySelectorAll("rect.zone.active").forEach(function (r) { r.classList.remove("active"); });
    var rect = zoneFor(name);
    if (!rect) { resetZoom(); return; }
    var svg = rect.ownerSVGElement;
    var full = svg.dataset.full.split(" ").map(Number);
    var W = full[2], H = full[3];
    var x = +rect.getAttribute("x"), y = +rect.getAttribute("y");
    var w = +rect.getAttribute("width"), h = +rect.getAttribute("height");
    var vw = Math.min(W, Math.max(w * 1.8, h * 2.2 * W / H, W * 0.4));
    var vh = vw * H / W;
    var vx = Math.max(0, Math.min(W - vw, x + w / 2 - vw / 2));
    var vy = Math.max(0, Math.min(H - vh, y + h / 2 - vh / 2));
    svg.setAttribute("viewBox", [vx, vy, vw, vh].join(" "));
    rect.classList.add("active");
  }

  function activate(li, focus) {
    fields().forEach(function (f) { f.classList.remove("active"); });
    if (!li) return;
    li.classList.add("active");
    zoomTo(li.dataset.field);
    if (focus) {
      var input = li.querySelector(".value");
      if (input) { input.focus(); if (input.select) input.select(); }
      li.scrollIntoView({ block: "nearest" });
    }
  }

  function move(delta) {
    var list = fields();
    if (!list.length) return;
    var i = list.findIndex(function (f) { return f.classList.contains("active"); });
    i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : Math.max(0, Math.min(list.length - 1, i + delta));
    activate(list[i], true);
  }

  function fieldLi(name) {
    return document.querySelector('li.field[data-field="' + CSS.escape(name) + '"]');
  }

  var focusAfterSwap = null;

  document.addEventListener("click", function (e) {
    var zone = e.target.closest && e.target.closest("rect.zone");
    if (zone) { activate(fieldLi(zone.dataset.field), true); return; }
    var go = e.target.closest && e.target.closest(".goto-field");
    if (go) { activate(fieldLi(go.dataset.field), true); return; }
    if (e.target.closest && e.target.closest(".reset-zoom")) { resetZoom(); }
  });

  document.addEventListener("focusin", function (e) {
    var li = e.target.closest && e.target.closest("li.field");
    if (li && !li.classList.contains("active")) activate(li, false);
  });

  // After a value is saved, continue with the next field.
  document.addEventListener("submit", function (e) {
    var li = e.target.closest && e.target.closest("li.field");
    if (!li) return;
    var list = fields(), i = list.indexOf(li);
    focusAfterSwap = list[i + 1] ? list[i + 1].dataset.field : li.dataset.field;
  }, true);

  // The page's zones follow the fields' state after a correction.
  function syncZones() {
    fields().forEach(function (li) {
      var z = zoneFor(li.dataset.field);
      if (!z) return;
      z.classList.toggle("error", li.classList.contains("has-error"));
      z.classList.toggle("low", li.classList.contains("low"));
    });
  }

  document.addEventListener("htmx:afterSwap", function () {
    syncZones();
    if (focusAfterSwap) { activate(fieldLi(focusAfterSwap), true); focusAfterSwap = null; }
  });

  function decide(outcome) {
    var form = document.getElementById("decision");
    if (!form) { var c = document.getElementById("confirm"); if (c && outcome === "approve") c.focus(); return; }
    if (outcome === "approve") {
      var empty = Array.prototype.find.call(form.querySelectorAll("textarea.override"), function (t) { return !t.value.trim(); });
      if (empty) { empty.focus(); return; }
      document.getElementById("approve").focus(); // Enter approves
      return;
    }
    var reason = document.getElementById("reason");
    reason.dataset.outcome = outcome;
    reason.focus();
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t.matches && t.matches("input, textarea, select");
    if (e.key === "Escape") {
      if (typing) t.blur();
      resetZoom();
      fields().forEach(function (f) { f.classList.remove("active"); });
      return;
    }
    if (typing) {
      if (t.id === "reason" && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        var b = document.getElementById(t.dataset.outcome === "complete" ? "complete" : "reject");
        if (b) b.click();
      }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var next = document.getElementById("next-doc");
    switch (e.key) {
      case "j": case "J": e.preventDefault(); move(1); break;
      case "k": case "K": e.preventDefault(); move(-1); break;
      case "g": case "G": e.preventDefault(); decide("approve"); break;
      case "a": case "A": e.preventDefault(); decide("reject"); break;
      case "b": case "B": e.preventDefault(); decide("complete"); break;
      case "n": case "N": if (next) { e.preventDefault(); window.location.assign(next.href); } break;
      case "?": var keys = document.getElementById("keys"); if (keys) keys.classList.toggle("hidden"); break;
    }
  });
})();
