// The approval queue: one checkbox selects or clears every registration listed.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  all.addEventListener("change", () => {
    document.querySelectorAll("input.queue-select").forEach((box) => {
      box.checked = all.checked;
    });
  });
});
