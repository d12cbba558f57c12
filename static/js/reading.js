/* Reading settings (text size, line spacing, theme), kept in this browser's localStorage, never
   in a cookie: every reader gets the same cached page, and the settings are applied here.
   Loaded in <head> without defer, so they are on <html> before the first paint (no flash);
   the controls themselves are wired once the page has been read. */
(function () {
  "use strict";
  var CHOICES = {
    size: ["normal", "large", "larger", "largest"],
    spacing: ["normal", "wide", "wider"],
    theme: ["system", "light", "dark"],
  };
  var root = document.documentElement;

  function stored(name) {
    try {
      var value = window.localStorage.getItem("fibrosite-" + name);
      return CHOICES[name].indexOf(value) >= 0 ? value : CHOICES[name][0];
    } catch (error) {
      return CHOICES[name][0]; // storage blocked: the defaults, and the page still works
    }
  }

  function apply(name, value) {
    if (value === CHOICES[name][0]) {
      root.removeAttribute("data-" + name);
    } else {
      root.setAttribute("data-" + name, value);
    }
  }

  function keep(name, value) {
    try {
      window.localStorage.setItem("fibrosite-" + name, value);
    } catch (error) {
      // Not remembered, but applied to this page all the same.
    }
    apply(name, value);
  }

  Object.keys(CHOICES).forEach(function (name) {
    apply(name, stored(name));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.getElementById("reading-settings");
    if (!controls) {
      return;
    }
    Object.keys(CHOICES).forEach(function (name) {
      var current = stored(name);
      controls.querySelectorAll('input[name="reading-' + name + '"]').forEach(function (input) {
        input.checked = input.value === current;
        input.addEventListener("change", function () {
          keep(name, input.value);
        });
      });
    });
    controls.hidden = false;
    document.addEventListener("click", function (event) {
      if (controls.open && !controls.contains(event.target)) {
        controls.open = false; // a tap beside the open panel closes it
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && controls.open) {
        controls.open = false;
        controls.querySelector("summary").focus();
      }
    });
  });

  // A choice made in another tab applies here too.
  window.addEventListener("storage", function (event) {
    var name = (event.key || "").replace("fibrosite-", "");
    if (CHOICES[name]) {
      apply(name, stored(name));
    }
  });
})();
