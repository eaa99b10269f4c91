// ictgate web pages: optional enhancements. Every page works without this file.
(function () {
  "use strict";

  function cctvPart(form) {
    var part = form.querySelector('[data-pointer="/cctv"]');
    var category = form.querySelector('[name="/project/category"]');
    if (!part || !category) return;
    function update() {
      var on = category.value === "cctv";
      part.hidden = !on;
      // A hidden part is disabled: not sent, not validated by the browser.
      part.disabled = !on;
      part.querySelectorAll("[data-required]").forEach(function (input) {
        input.required = on && !input.closest("[data-row]");
      });
    }
    category.addEventListener("change", update);
    update();
  }

  function renumber(rows) {
    rows.querySelectorAll("[data-row]").forEach(function (row, index) {
      var number = row.querySelector(".row-number");
      if (number) number.textContent = String(index + 1);
    });
  }

  function sharingRows(form) {
    var rows = form.querySelector("#sharing-rows");
    var template = form.querySelector("#sharing-row-template");
    var add = form.querySelector("#add-row");
    if (!rows || !template || !add) return;
    var next = rows.querySelectorAll("[data-row]").length;
    function wire(row) {
      var remove = row.querySelector(".remove-row");
      remove.hidden = false;
      remove.addEventListener("click", function () {
        var heading = form.querySelector('[data-pointer="/cctv/sharing"] > legend');
        row.remove();
        renumber(rows);
        add.focus();
        if (heading) heading.scrollIntoView({ block: "nearest" });
      });
    }
    rows.querySelectorAll("[data-row]").forEach(wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var html = template.innerHTML.split("__INDEX__").join(String(next));
      next += 1;
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      rows.appendChild(row);
      wire(row);
      renumber(rows);
      var first = row.querySelector("select, input");
      if (first) first.focus();
    });
  }

  // The verdict page: print it whole (the folded passes opened for the paper), or short:
  // the class print-short on <html> leaves out everything but the verdict, what to fix and
  // the chain (app.css, @media print), and is taken off again once printed.
  function verdictPrinting() {
    var whole = document.getElementById("print-button");
    var short = document.getElementById("print-short-button");
    var help = document.getElementById("print-short-help");
    var root = document.documentElement;
    var opened = [];
    if (!whole || !short) return;
    window.addEventListener("beforeprint", function () {
      if (root.classList.contains("print-short")) return;
      document.querySelectorAll("details.print-full:not([open])").forEach(function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      root.classList.remove("print-short");
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
    whole.hidden = false;
    short.hidden = false;
    if (help) help.hidden = false;
    whole.addEventListener("click", function () {
      root.classList.remove("print-short");
      window.print();
    });
    short.addEventListener("click", function () {
      root.classList.add("print-short");
      window.print();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("precheck-form");
    if (form) {
      cctvPart(form);
      sharingRows(form);
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    verdictPrinting();
  });
})();
