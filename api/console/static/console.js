// Keyboard shortcuts for the inbox (j/k move, Enter/o open, x select, a approve, e edit, r reject with feedback)
// and small conveniences. Everything also works without JavaScript, by clicking.
(function () {
  "use strict";
  let currentId = null;
  const items = () => Array.from(document.querySelectorAll("#inbox-list .item"));
  function mark(focus) {
    items().forEach((li) => li.classList.toggle("current", li.dataset.id === currentId));
    const li = document.querySelector(`#inbox-list .item[data-id="${currentId}"]`);
    if (li && focus) { li.querySelector(".item-link").focus(); li.scrollIntoView({block: "nearest"}); }
  }
  function move(step) {
    const list = items(); if (!list.length) return;
    let index = list.findIndex((li) => li.dataset.id === currentId);
    index = index < 0 ? 0 : Math.max(0, Math.min(list.length - 1, index + step));
    currentId = list[index].dataset.id; mark(true);
  }
  function open() {
    const li = document.querySelector(`#inbox-list .item[data-id="${currentId}"]`);
    if (li) li.querySelector(".item-link").click();
  }
  function cardButton(id) { return document.querySelector(`#detail #${id}`); }
  document.addEventListener("keydown", (event) => {
    if (!document.getElementById("inbox-list")) return;
    const typing = event.target.closest("input, textarea, select");
    if (event.key === "Escape" && typing) { event.target.blur(); mark(true); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const card = document.querySelector("#detail .card");
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": case "Enter": if (event.target.closest(".item-link") || event.key === "o") { event.preventDefault(); open(); } return;
      case "x": { const box = document.getElementById(`sel-${currentId}`); if (box) box.checked = !box.checked; break; }
      case "a": if (card && cardButton("approve-btn")) {
        // a card swapped in a moment ago may not be wired by htmx yet: wire it first, so the approval is an htmx
        // request answered in place (not a page load)
        if (window.htmx) window.htmx.process(card.closest("#detail") || card);
        cardButton("approve-btn").click();
      } else return; break;
      case "e": { const field = card && (card.querySelector("#body_text") || card.querySelector("#amount") || card.querySelector("[data-edit]"));
        if (!field) return; const details = field.closest("details"); if (details) details.open = true; field.focus(); break; }
      case "r": { const field = card && card.querySelector("#feedback"); if (!field) return; field.focus();
        field.dataset.rejectArmed = "1"; break; }
      default: return;
    }
    event.preventDefault();
  });
  // Enter in the feedback box after "r" rejects; Shift+Enter adds a line.
  document.addEventListener("keydown", (event) => {
    const field = event.target;
    if (field.id === "feedback" && field.dataset.rejectArmed && event.key === "Enter" && !event.shiftKey) {
      event.preventDefault(); const button = cardButton("reject-btn"); if (button) button.click();
    }
  });
  // An edited draft is approved as an edit: the Approve button says so.
  document.addEventListener("input", (event) => {
    const form = event.target.closest("form.decision"); if (!form) return;
    const button = form.querySelector("#approve-btn"); if (!button) return;
    const changed = Array.from(form.querySelectorAll("[data-original]")).some((el) => el.value !== el.dataset.original)
      || Array.from(form.querySelectorAll("input[data-edit]")).some((el) => !el.checked)
      || Array.from(form.querySelectorAll("textarea[data-edit]")).some((el) => el.value.trim());
    button.value = changed ? "edit" : "approve";
    button.textContent = changed ? button.dataset.labelEdit : "Approve";
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[data-edit]")) event.target.dispatchEvent(new Event("input", {bubbles: true}));
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#inbox-list .item-link");
    if (link) { currentId = link.closest(".item").dataset.id; mark(false); }
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id === "inbox-list") mark(document.activeElement === document.body);
    if (event.detail.target.id === "detail" && window.matchMedia("(max-width: 900px)").matches) {
      event.detail.target.scrollIntoView({block: "start"});
    }
    const chat = document.querySelector(".chat"); if (chat) chat.scrollTop = chat.scrollHeight;
  });
  document.addEventListener("DOMContentLoaded", () => {
    const chat = document.querySelector(".chat"); if (chat) chat.scrollTop = chat.scrollHeight;
  });
  // Keep the item the keyboard is on after the list refreshes.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target.id === "inbox-list" && document.activeElement.closest && document.activeElement.closest("#inbox-list")) {
      event.detail.target.dataset.hadFocus = "1";
    }
  });
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail.target;
    if (target.id === "inbox-list" && target.dataset.hadFocus) { delete target.dataset.hadFocus; mark(true); }
  });
})();
