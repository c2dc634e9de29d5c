// The notes' preview inside the episode page: the same request as the "Preview" button makes
// without script (the server renders the Markdown with the site's renderer), shown under the notes.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("notes-preview-button");
  const shown = document.getElementById("notes-preview");
  if (!button || !shown) return;
  button.addEventListener("click", async (event) => {
    event.preventDefault();
    const form = button.form;
    const data = new FormData();
    data.set("csrf", form.elements.csrf.value);
    data.set("notes", form.elements.notes.value);
    const answer = await fetch(button.formAction, { method: "POST", body: data, credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await answer.text(), "text/html");
    const rendered = page.getElementById("rendered");
    shown.replaceChildren(...(rendered ? rendered.childNodes : []));
    shown.hidden = false;
    shown.focus();
  });
});
