// OnePlan page behaviour (no inline scripts: the content security policy allows only our files).
(function () {
  "use strict";
  // Tooltips an option names, since a JSON option cannot carry functions (no inline script):
  // tooltip {formatter: "budget", unit: "บาท", total: "รวม"} shows the category's full name, each
  // series' value with thousands separators and the unit, the total, and a data item's `extra` line.
  function number(v) { return Number(v || 0).toLocaleString("th-TH", { maximumFractionDigits: 2 }); }
  var TOOLTIPS = {
    budget: function (t) {
      var esc = window.echarts.format.encodeHTML, unit = t.unit ? " " + esc(t.unit) : "";
      return function (params) {
        params = [].concat(params);
        var lines = ["<strong>" + esc(params[0].name) + "</strong>"], sum = 0, extra = "";
        params.forEach(function (p) {
          var v = (p.value && typeof p.value === "object") ? p.value.value : p.value;
          sum += Number(v) || 0;
          lines.push(p.marker + esc(p.seriesName) + ": " + number(v) + unit);
          if (p.data && p.data.extra) extra = p.data.extra;
        });
        if (t.total && params.length > 1) lines.push(esc(t.total) + ": " + number(sum) + unit);
        if (extra) lines.push(esc(extra));
        return lines.join("<br>");
      };
    }
  };
  // Charts: <div class="chart" data-echarts="<id of a json_script element>"></div>
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-echarts]").forEach(function (el) {
      var src = document.getElementById(el.dataset.echarts);
      if (!src || el.dataset.drawn) return;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      var option = JSON.parse(src.textContent);
      // Thai labels need our bundled Sarabun: the default sans-serif may have no Thai glyphs.
      option.textStyle = Object.assign({ fontFamily: "Sarabun, sans-serif" }, option.textStyle || {});
      var tip = option.tooltip;
      if (tip && TOOLTIPS[tip.formatter]) tip.formatter = TOOLTIPS[tip.formatter](tip);
      chart.setOption(option);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // Confirm before destructive actions: <button data-confirm="ข้อความ">
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("[data-confirm]");
    if (t && !window.confirm(t.dataset.confirm)) { ev.preventDefault(); ev.stopPropagation(); }
  }, true);
  // Print buttons: <button data-print>
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) window.print();
  });
  // Copy buttons: <button data-copy="#id-of-the-text" data-copied="คัดลอกแล้ว">
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-copy]");
    if (!b) return;
    var src = document.querySelector(b.dataset.copy);
    if (!src || !navigator.clipboard) return;
    navigator.clipboard.writeText(src.href || src.textContent.trim()).then(function () {
      b.textContent = b.dataset.copied || b.textContent;
    });
  });
  // Fold or unfold every list of projects/KPIs of a plan tree: <button data-fold="open|close">
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-fold]");
    if (!b) return;
    document.querySelectorAll("details.fold").forEach(function (d) { d.open = b.dataset.fold === "open"; });
  });
  // A link to one element (#el-…) opens the folds around it.
  function openFoldsAround(hash) {
    var el = hash && document.getElementById(hash.slice(1));
    for (var d = el && el.closest("details.fold"); d; d = d.parentElement.closest("details.fold")) d.open = true;
  }
  document.addEventListener("DOMContentLoaded", function () { openFoldsAround(location.hash); });
  window.addEventListener("hashchange", function () { openFoldsAround(location.hash); });
  // A printed plan is the whole plan.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.fold").forEach(function (d) { d.open = true; });
  });
  // Auto-submit selects: <select data-autosubmit>
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("[data-autosubmit]")) ev.target.form.submit();
  });
  // Send the CSRF token with every htmx request.
  document.addEventListener("htmx:configRequest", function (ev) {
    var m = document.cookie.match(/csrftoken=([^;]+)/);
    if (m) ev.detail.headers["X-CSRFToken"] = m[1];
  });
  document.addEventListener("DOMContentLoaded", function () {
    // draw once the web font is in, so label widths are measured with Sarabun
    (document.fonts && document.fonts.load ? document.fonts.load("12px Sarabun") : Promise.resolve())
      .then(function () { drawCharts(document); }, function () { drawCharts(document); });
  });
  // A table wider than the screen scrolls inside its .table-wrap: keyboard users reach it with Tab
  // (templates say tabindex="0"; this covers any wrapper that forgot).
  function focusableScrollers(root) {
    root.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (el) { el.tabIndex = 0; });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSwap", function (ev) { drawCharts(ev.target); focusableScrollers(ev.target); });
  // An htmx action the server refused (400/403/409 …) says why, in the page's message list: htmx itself
  // swaps nothing on an error and the person would see no reaction at all.
  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail.xhr, text = (xhr && xhr.responseText) || "";
    if (/^\s*</.test(text)) text = "";   // an HTML error page: show the plain message below instead
    var list = document.querySelector("main ul.messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      list.setAttribute("role", "alert");
      var main = document.querySelector("main");
      if (!main) return;
      main.insertBefore(list, main.firstChild);
    }
    var item = document.createElement("li");
    item.className = "error";
    item.textContent = text.slice(0, 500) || "ทำรายการไม่สำเร็จ (" + (xhr ? xhr.status : "?") + ") กรุณาลองใหม่อีกครั้ง";
    list.appendChild(item);
  });
  // Main menu: CSS keeps the <details> open on wide screens through ::details-content; browsers
  // without it get the menu opened here on wide screens (on a phone it stays behind its button).
  function openMenuOnWideScreens() {
    var menu = document.querySelector("header.site details.menu");
    if (!menu || (window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) return;
    var wide = window.matchMedia("(min-width: 641px)");
    var sync = function () { if (wide.matches) menu.open = true; };
    sync();
    if (wide.addEventListener) wide.addEventListener("change", sync);
  }
  document.addEventListener("DOMContentLoaded", openMenuOnWideScreens);
  window.OnePlan = { drawCharts: drawCharts };
})();
