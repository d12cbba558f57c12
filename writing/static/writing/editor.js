// The article form's writing aids: a formatting toolbar, a live preview rendered by the server's own
// publishing code (so it is what readers get, already sanitised), a word count, and an autosaved private
// copy of the work in progress, offered back on the next visit. Loaded as a file: the CSP allows no
// inline script.
(function () {
  "use strict";

  const config = document.getElementById("writing-aids");
  const body = document.getElementById("id_body");
  if (!config || !body || body.readOnly) {
    return;
  }
  const form = body.form;
  const csrfToken = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const fields = ["title", "summary", "body"]
    .map((name) => document.getElementById("id_" + name))
    .filter(Boolean);
  const AUTOSAVE_MS = 5000;
  const PREVIEW_DELAY_MS = 700;

  function post(url, data) {
    const formData = new FormData();
    Object.entries(data || {}).forEach(([key, value]) => formData.append(key, value));
    return fetch(url, {
      method: "POST",
      body: formData,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken },
    }).then((response) => (response.ok ? response.json() : Promise.reject(response)));
  }

  function values() {
    const data = {};
    fields.forEach((field) => {
      data[field.name] = field.value;
    });
    return data;
  }

  function changed() {
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // The toolbar: each button edits the Markdown around the selection, then gives the focus back.
  function wrap(marker, placeholder) {
    const start = body.selectionStart;
    const end = body.selectionEnd;
    const text = body.value.slice(start, end) || placeholder;
    body.setRangeText(marker + text + marker, start, end, "end");
    body.setSelectionRange(start + marker.length, start + marker.length + text.length);
  }

  function prefixLines(prefixFor) {
    const start = body.value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    const end = body.selectionEnd;
    const lines = body.value.slice(start, end).split("\n");
    const edited = lines.map((line, index) => prefixFor(index) + line).join("\n");
    body.setRangeText(edited, start, end, "select");
  }

  function link() {
    const start = body.selectionStart;
    const end = body.selectionEnd;
    const text = body.value.slice(start, end) || "link text";
    const address = "https://";
    body.setRangeText("[" + text + "](" + address + ")", start, end, "end");
    const addressStart = start + text.length + 3;
    body.setSelectionRange(addressStart, addressStart + address.length);
  }

  const ACTIONS = [
    ["Heading", "Section heading", () => prefixLines(() => "## ")],
    ["Bold", "Bold (Ctrl+B)", () => wrap("**", "bold text")],
    ["Italic", "Italic (Ctrl+I)", () => wrap("_", "italic text")],
    ["• List", "• List, bulleted", () => prefixLines(() => "- ")],
    ["1. List", "1. List, numbered", () => prefixLines((index) => index + 1 + ". ")],
    ["Link", "Link (Ctrl+K)", link],
    ["Quote", "Quote block", () => prefixLines(() => "> ")],
  ];

  const toolbar = element("div", {
    role: "toolbar",
    class: "writing-toolbar",
    "aria-label": "Formatting",
    "aria-controls": body.id,
  });
  ACTIONS.forEach(([label, description, apply]) => {
    const button = element("button", { type: "button", title: description, "aria-label": description }, label);
    button.addEventListener("click", () => {
      body.focus();
      apply();
      changed();
    });
    toolbar.append(button);
  });
  body.before(toolbar);
  body.addEventListener("keydown", (event) => {
    const shortcuts = { b: () => wrap("**", "bold text"), i: () => wrap("_", "italic text"), k: link };
    const shortcut = (event.ctrlKey || event.metaKey) && shortcuts[event.key.toLowerCase()];
    if (shortcut) {
      event.preventDefault();
      shortcut();
      changed();
    }
  });

  // The live preview and the count, from the server (articles.rendering, as on publishing).
  const preview = element("section", { class: "writing-preview", "aria-labelledby": "writing-preview-heading" });
  const count = element("p", { class: "writing-count", "aria-live": "polite" });
  const rendered = element("div", { class: "writing-preview-body" });
  preview.append(element("h2", { id: "writing-preview-heading" }, "Preview: as readers will see it"), count, rendered);
  (body.closest(".form-row") || body).after(preview);

  let previewTimer = null;
  function refreshPreview() {
    post(config.dataset.preview, { body: body.value })
      .then((data) => {
        rendered.innerHTML = data.html; // sanitised by the server's allow-list, as published pages are
        const words = data.words === 1 ? "1 word" : data.words + " words";
        count.textContent = words + " · about " + data.minutes + " min read";
      })
      .catch(() => {
        count.textContent = "The preview is not available just now.";
      });
  }
  body.addEventListener("input", () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, PREVIEW_DELAY_MS);
  });
  refreshPreview();

  // Autosave: every few seconds while something changed, to the writer's private copy.
  const status = element("p", { class: "writing-status help" });
  preview.before(status);
  let dirty = false;
  fields.forEach((field) => field.addEventListener("input", () => {
    dirty = true;
  }));
  const autosaveTimer = setInterval(() => {
    if (!dirty) {
      return;
    }
    dirty = false;
    post(config.dataset.autosave, values())
      .then((data) => {
        const time = new Date(data.saved_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        status.textContent = "Your unsaved work is kept (" + time + "). Save the form to make it the article.";
      })
      .catch(() => {
        dirty = true;
        status.textContent = "Could not keep a copy of your work just now; trying again.";
      });
  }, AUTOSAVE_MS);
  form.addEventListener("submit", () => clearInterval(autosaveTimer)); // the save itself makes the copy stale

  // On arrival: offer back a copy newer than the saved article.
  fetch(config.dataset.restore, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response)))
    .then((data) => {
      const copy = data.copy;
      if (!copy || fields.every((field) => field.value === copy[field.name])) {
        return;
      }
      const time = new Date(copy.saved_at).toLocaleString();
      const notice = element("div", { class: "writing-restore", role: "alert" });
      const restore = element("button", { type: "button" }, "Restore it");
      const discard = element("button", { type: "button" }, "Discard it");
      notice.append(
        element("p", {}, "Work you had not saved was kept automatically (" + time + ")."),
        restore,
        discard
      );
      restore.addEventListener("click", () => {
        fields.forEach((field) => {
          field.value = copy[field.name];
        });
        notice.remove();
        body.focus();
        changed();
      });
      discard.addEventListener("click", () => {
        post(config.dataset.discard).finally(() => notice.remove());
        body.focus();
      });
      toolbar.before(notice);
      restore.focus();
    })
    .catch(() => {});
})();
