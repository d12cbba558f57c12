/* Names for the article form's controls that Django's admin and its select2 widgets leave without
   one (axe-core checks this form): inputs in a tabular inline take their column's heading, the
   date and time of a split field take the field's label, select2's boxes take their select's label.
   An empty heading cell (the inlines' "original" column) becomes a plain cell. */
"use strict";
window.addEventListener("load", function () {
  function text(element) {
    return element ? element.textContent.replace(/[:*]\s*$/, "").trim() : "";
  }

  function labelOf(field) {
    return document.querySelector('label[for="' + field.id + '"]');
  }

  document.querySelectorAll(".tabular table").forEach(function (table) {
    var headings = Array.from(table.querySelectorAll("thead th, thead td"));
    table.querySelectorAll("tbody td").forEach(function (cell) {
      var heading = headings[cell.cellIndex];
      cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
        if (!labelOf(field) && !field.hasAttribute("aria-label") && text(heading)) {
          field.setAttribute("aria-label", text(heading));
        }
      });
    });
    table.querySelectorAll("thead th.original").forEach(function (heading) {
      if (!text(heading)) {
        var cell = document.createElement("td");
        cell.className = heading.className;
        heading.replaceWith(cell);
      }
    });
  });

  document.querySelectorAll("p.datetime").forEach(function (paragraph) {
    var row = paragraph.closest(".form-row, .fieldBox, div");
    var fieldLabel = text(row && row.querySelector("label"));
    paragraph.querySelectorAll("input").forEach(function (field) {
      var part = text(field.previousSibling && field.previousSibling.nodeType === 3 ? field.previousSibling : null);
      if (!labelOf(field) && !field.hasAttribute("aria-label")) {
        field.setAttribute("aria-label", (fieldLabel + " " + part.toLowerCase()).trim());
      }
    });
  });

  function nameSelect2Boxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelOf(select);
      var box = select.nextElementSibling;
      if (!label || !box) {
        return;
      }
      label.id = label.id || select.id + "-label";
      box.querySelectorAll(".select2-selection--single").forEach(function (combobox) {
        var shown = combobox.getAttribute("aria-labelledby");
        combobox.setAttribute("aria-labelledby", label.id + (shown ? " " + shown : ""));
      });
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (shown) {
        shown.setAttribute("aria-labelledby", label.id);
      });
      box.querySelectorAll(".select2-search__field").forEach(function (search) {
        search.setAttribute("aria-label", text(label));
      });
    });
    document.documentElement.dataset.select2Named = "yes";
  }

  // The admin starts select2 in a jQuery ready handler, which may run after this one.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(function () {
      window.setTimeout(nameSelect2Boxes, 0);
    });
  } else {
    nameSelect2Boxes();
  }
});
