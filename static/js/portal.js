// The portal's own behaviour, loaded on every page. No inline scripts: the CSP forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Confirm destructive actions declared with data-confirm="…", on forms of the page and on those a script adds.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // The server validates every form and explains what to fix: the browser's own bubbles would only get in the way.
  document.querySelectorAll("form").forEach((form) => {
    form.noValidate = true;
  });

  // Follow-up questions shown only while the box they depend on is ticked (data-reveal-when="<id of the box>").
  document.querySelectorAll("[data-reveal-when]").forEach((input) => {
    const box = document.getElementById(input.dataset.revealWhen);
    const wrapper = document.getElementById(`div_${input.id}`) || input.parentElement;
    if (!box) return;
    const ids = (box.getAttribute("aria-controls") || "").split(" ").filter(Boolean);
    box.setAttribute("aria-controls", [...ids, wrapper.id].join(" "));
    const sync = () => {
      wrapper.hidden = !box.checked;
    };
    box.addEventListener("change", sync);
    sync();
  });

  // A form that came back with errors: focus moves to its summary, whose links move focus to each field.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[data-error-field]").forEach((link) => {
      link.addEventListener("click", (event) => {
        const id = link.dataset.errorField;
        // A field made of several inputs (day and time, radio buttons) starts with its first one.
        const input = document.getElementById(id) || document.getElementById(`${id}_0`);
        if (!input) return;
        event.preventDefault();
        const label = document.querySelector(`label[for="${input.id}"]`) || input.closest("fieldset");
        (label || input).scrollIntoView();
        input.focus({ preventScroll: true });
      });
    });
  }
});
