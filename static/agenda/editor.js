// The draft agenda editor: drag an item and drop it before, after or under another one.
// Every move is also a button (a plain form POST), so keyboard users and browsers without script can do the same.
(() => {
  "use strict";
  const editor = document.querySelector(".agenda-editor");
  if (!editor) return;
  const status = document.getElementById("agenda-editor-status");
  const FOCUS_KEY = "agenda-editor-focus";
  let dragged = null;

  const moveUrl = (id) => editor.dataset.moveUrl.replace(/\/0\/move\/$/, `/${id}/move/`);
  const csrfToken = () => editor.querySelector("input[name=csrfmiddlewaretoken]").value;

  function show(text, isError) {
    status.replaceChildren();
    status.className = `agenda-editor-status alert ${isError ? "alert-danger" : "alert-info"}`;
    status.append(document.createTextNode(text));
    if (isError) {
      const reload = document.createElement("button");
      reload.type = "button";
      reload.className = "btn btn-sm btn-outline-danger ms-2";
      reload.textContent = editor.dataset.reloadLabel || "Reload";
      reload.addEventListener("click", () => window.location.reload());
      status.append(reload);
    }
  }

  // The upper third of a row puts the item before it, the lower third after it, the middle under it.
  function zoneOf(row, event) {
    const rect = row.getBoundingClientRect();
    const y = (event.clientY - rect.top) / rect.height;
    if (y < 0.3) return "before";
    if (y > 0.7) return "after";
    return "into";
  }

  function clearMarks() {
    editor.querySelectorAll(".drop-before, .drop-after, .drop-into").forEach((row) => {
      row.classList.remove("drop-before", "drop-after", "drop-into");
    });
  }

  function targetOf(event) {
    const row = event.target.closest(".agenda-row");
    if (!row || !dragged) return null;
    const item = row.closest(".agenda-item");
    if (dragged.contains(item)) return null; // not onto itself nor under one of its sub-items
    return { row, item };
  }

  editor.addEventListener("dragstart", (event) => {
    const row = event.target.closest(".agenda-row");
    if (!row) return;
    dragged = row.closest(".agenda-item");
    dragged.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.label);
  });

  editor.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
    clearMarks();
  });

  editor.addEventListener("dragover", (event) => {
    const target = targetOf(event);
    if (!target) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearMarks();
    target.row.classList.add(`drop-${zoneOf(target.row, event)}`);
  });

  editor.addEventListener("drop", (event) => {
    const target = targetOf(event);
    if (!target) return;
    event.preventDefault();
    const zone = zoneOf(target.row, event);
    clearMarks();
    let parent = target.item.dataset.parent;
    let index = Number(target.item.dataset.index) + (zone === "after" ? 1 : 0);
    if (zone === "into") {
      parent = target.item.dataset.item;
      index = target.item.querySelectorAll(":scope > ul > li").length;
    } else if (dragged.dataset.parent === parent && Number(dragged.dataset.index) < index) {
      index -= 1; // the item leaves a gap before the place it goes to
    }
    move(dragged, parent, index);
  });

  async function move(item, parent, index) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("revision", editor.dataset.revision);
    body.append("parent", parent || "");
    body.append("index", String(index));
    show(editor.dataset.movingLabel || "Moving…", false);
    let response;
    try {
      response = await fetch(moveUrl(item.dataset.item), {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (error) {
      show(String(error), true);
      return;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.ok) {
      window.location.reload();
    } else {
      show(answer.error || response.statusText, true);
    }
  }

  // After a button moved an item, the page comes back with the focus on the same button of the same item.
  editor.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("agenda-shift") || !event.submitter) return;
    const item = form.closest(".agenda-item").dataset.item;
    sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ item, direction: event.submitter.value }));
  });
  // Restored once the page has loaded: scrolling to the #item-… fragment moves the focus to the document.
  const DIRECTIONS = ["up", "down", "indent", "outdent"];
  function restoreFocus() {
    const remembered = sessionStorage.getItem(FOCUS_KEY);
    if (!remembered) return;
    sessionStorage.removeItem(FOCUS_KEY);
    let wanted = {};
    try {
      wanted = JSON.parse(remembered);
    } catch (error) {
      return; // a malformed value: nothing to restore
    }
    const item = document.getElementById(`item-${wanted.item}`);
    if (!item || !DIRECTIONS.includes(wanted.direction)) return;
    const button = item.querySelector(`:scope > .agenda-row button[value="${wanted.direction}"]`);
    if (button) button.focus();
  }
  if (document.readyState === "complete") {
    window.setTimeout(restoreFocus, 0);
  } else {
    window.addEventListener("load", () => window.setTimeout(restoreFocus, 0));
  }
})();
