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

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("precheck-form");
    if (form) {
      cctvPart(form);
      sharingRows(form);
    }
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    var print = document.getElementById("print-button");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  });
})();
