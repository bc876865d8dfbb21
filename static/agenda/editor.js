// The draft agenda editor: drag an item and drop it before, after or under another one; from the keyboard the
// items are one tree, one Tab stop (roving tabindex), with the shortcuts the page explains (#agenda-editor-keys).
// Each item gets its buttons from the page's one copy of them (#agenda-item-actions); every move is a plain form
// POST, and without script an item's title leads to its own page, which has the same buttons. With script, a move
// is sent in the background, the tree is refreshed in place and the live region says where the item went.
(() => {
  "use strict";
  const editor = document.querySelector(".agenda-editor");
  if (!editor) return;
  const status = document.getElementById("agenda-editor-status");
  const keys = document.getElementById("agenda-editor-keys");
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
      reload.className = "btn btn-sm btn-danger ms-2";
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
    await afterMove(item, response);
  }

  // --- The keyboard: one tree, one Tab stop --------------------------------------------------------------

  const treeItems = () => [...editor.querySelectorAll("[role=treeitem]")];
  const rowOf = (item) => item.querySelector(":scope > .agenda-row");

  // The item's handle and buttons: a copy of the page's template with the item's number, label and title put in.
  // Only attribute values are changed (no markup is built from text), so a title is never read as HTML.
  function addControls(item) {
    const actions = document.getElementById("agenda-item-actions");
    const row = rowOf(item);
    if (!actions || !row || row.querySelector(".agenda-actions")) return;
    const id = item.dataset.item;
    const title = row.querySelector(".agenda-title").textContent;
    const controls = actions.content.cloneNode(true);
    controls.querySelectorAll("*").forEach((element) => {
      for (const attribute of ["action", "href", "aria-label", "data-confirm"]) {
        const value = element.getAttribute(attribute);
        if (value === null) continue;
        element.setAttribute(
          attribute,
          value
            .replace("/items/0/", `/items/${id}/`)
            .replace("?parent=0", `?parent=${id}`)
            .replace("__LABEL__", () => item.dataset.label)
            .replace("__TITLE__", () => title),
        );
      }
    });
    controls.querySelectorAll("input[name=revision]").forEach((input) => {
      input.value = editor.dataset.revision;
    });
    row.prepend(controls.querySelector(".agenda-handle"));
    row.append(controls);
    row.draggable = true;
  }

  // Gives the list the roles of a tree and takes every control of the items out of the Tab order; run again after
  // each refresh of the tree. The item that had the focus keeps it (``focusId``), else the first is the Tab stop.
  function enhance(focusId) {
    const root = editor.querySelector(":scope > .agenda-tree");
    if (!root) return;
    root.setAttribute("role", "tree");
    root.setAttribute("aria-label", editor.dataset.treeLabel || "");
    if (keys) {
      keys.hidden = false;
      root.setAttribute("aria-describedby", keys.id);
    }
    editor.querySelectorAll(".agenda-subtree").forEach((group) => group.setAttribute("role", "group"));
    editor.querySelectorAll(".agenda-item").forEach((item) => {
      addControls(item);
      const depth = Number((item.className.match(/agenda-depth-(\d+)/) || [0, 0])[1]);
      item.setAttribute("role", "treeitem");
      item.setAttribute("aria-level", String(depth + 1));
      item.setAttribute("aria-labelledby", `item-${item.dataset.item}-number item-${item.dataset.item}-title`);
      item.tabIndex = -1;
      rowOf(item).querySelectorAll("a[href], button").forEach((control) => {
        control.tabIndex = -1;
      });
    });
    const items = treeItems();
    const current = (focusId && document.getElementById(`item-${focusId}`)) || items[0];
    if (current) current.tabIndex = 0;
  }

  function focusItem(item) {
    if (!item) return;
    treeItems().forEach((other) => {
      other.tabIndex = other === item ? 0 : -1;
    });
    item.focus();
  }

  // A click in a row focuses its item (it has tabindex=-1): it becomes the Tab stop.
  editor.addEventListener("focusin", (event) => {
    const item = event.target.closest("[role=treeitem]");
    if (item && event.target === item) {
      treeItems().forEach((other) => {
        other.tabIndex = other === item ? 0 : -1;
      });
    }
  });

  // Indenting moves an item toward the end of the line: to the right, or to the left in a right-to-left page.
  const rtl = document.documentElement.dir === "rtl";
  const SHIFTS = {
    ArrowUp: "up",
    ArrowDown: "down",
    ArrowLeft: rtl ? "indent" : "outdent",
    ArrowRight: rtl ? "outdent" : "indent",
  };

  editor.addEventListener("keydown", (event) => {
    const item = event.target;
    if (!item.matches || !item.matches("[role=treeitem]")) return;
    if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey) {
      if (!SHIFTS[event.key]) return;
      event.preventDefault();
      shift(item, SHIFTS[event.key]);
      return;
    }
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const items = treeItems();
    const at = items.indexOf(item);
    const row = rowOf(item);
    switch (event.key) {
      case "ArrowDown":
        focusItem(items[Math.min(at + 1, items.length - 1)]);
        break;
      case "ArrowUp":
        focusItem(items[Math.max(at - 1, 0)]);
        break;
      case "Home":
        focusItem(items[0]);
        break;
      case "End":
        focusItem(items[items.length - 1]);
        break;
      case "Enter":
        row.querySelector("a.agenda-edit").click();
        break;
      case "+":
        row.querySelector("a.agenda-add-sub").click();
        break;
      case "Delete":
        row.querySelector("form.agenda-delete").requestSubmit();
        break;
      default:
        return;
    }
    event.preventDefault();
  });

  // The buttons too move in the background when script runs: the focus stays on the item, the move is read out.
  editor.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.classList.contains("agenda-shift") || !event.submitter) return;
    event.preventDefault();
    shift(form.closest(".agenda-item"), event.submitter.value);
  });

  async function shift(item, direction) {
    const form = rowOf(item).querySelector("form.agenda-shift");
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    body.append("revision", editor.dataset.revision);
    body.append("direction", direction);
    show(editor.dataset.movingLabel || "Moving…", false);
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch (error) {
      show(String(error), true);
      return;
    }
    await afterMove(item, response);
  }

  // After a move: the refreshed tree, the focus on the item moved, and its new number in the live region.
  async function afterMove(item, response) {
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      show(answer.error || response.statusText, true);
      item.focus();
      return;
    }
    const id = item.dataset.item;
    try {
      await refresh(id);
    } catch (error) {
      window.location.reload();
      return;
    }
    const moved = document.getElementById(`item-${id}`);
    if (!moved) return;
    focusItem(moved);
    const title = moved.querySelector(":scope > .agenda-row .agenda-title").textContent;
    const text = (editor.dataset.movedLabel || "%(title)s: %(label)s")
      .replace("%(title)s", title)
      .replace("%(label)s", moved.dataset.label);
    show(text, false);
  }

  // The page fetched again, and the parts a move changes put in place of the old: the tree (with the draft's new
  // revision) and the list of what is not yet published.
  async function refresh(focusId) {
    const response = await fetch(window.location.pathname + window.location.search, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(response.statusText);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const freshEditor = fresh.querySelector(".agenda-editor");
    if (!freshEditor) throw new Error("no editor");
    editor.dataset.revision = freshEditor.dataset.revision;
    editor.replaceChildren(...[...freshEditor.childNodes].map((node) => document.importNode(node, true)));
    const changes = document.querySelector("section[aria-labelledby=unpublished-title]");
    const freshChanges = fresh.querySelector("section[aria-labelledby=unpublished-title]");
    if (changes && freshChanges) changes.replaceWith(document.importNode(freshChanges, true));
    enhance(focusId);
  }

  enhance(null);
})();
