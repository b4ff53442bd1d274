// Review queue keys (no inline scripts: CSP). 1–5 accept the suggestion with that number, x rejects
// the first suggestion, n / p go to the next / previous unlinked element.
(function () {
  "use strict";
  function number() {
    document.querySelectorAll("[data-accept]").forEach(function (b, i) {
      if (i < 5 && !b.querySelector("kbd")) {
        var k = document.createElement("kbd");
        k.textContent = String(i + 1);
        b.prepend(k, " ");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", number);
  document.addEventListener("htmx:afterSwap", number);
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var link;
    if (ev.key >= "1" && ev.key <= "5") {
      var b = document.querySelectorAll("[data-accept]")[Number(ev.key) - 1];
      if (b) { ev.preventDefault(); b.click(); }
    } else if (ev.key === "x") {
      var r = document.querySelector("[data-reject]");
      if (r) { ev.preventDefault(); r.click(); }
    } else if (ev.key === "n" && (link = document.querySelector("[data-next]"))) {
      window.location.href = link.href;
    } else if (ev.key === "p" && (link = document.querySelector("[data-prev]"))) {
      window.location.href = link.href;
    }
  });
})();
