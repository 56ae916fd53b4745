// Keyboard-driven review queue: j/k move, a/r/f decide, x selects, u undoes, p opens the
// author's panel, ? helps.
// Every action is also a plain form, so the page works without this script.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var statusLine = document.getElementById("status");
  var help = document.getElementById("help");
  var drawer = document.getElementById("author-drawer");
  var panel = document.getElementById("author-panel");
  var opener = null;
  var current = null;

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll(".queue .item:not(.decided)"));
  }

  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function select(item) {
    if (current) current.classList.remove("current");
    current = item || null;
    if (!current) return;
    current.classList.add("current");
    current.focus();
    current.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = items();
    if (!list.length) return;
    var index = list.indexOf(current);
    select(list[Math.max(0, Math.min(list.length - 1, index + step))]);
  }

  function post(item, action, extra) {
    var body = Object.assign({ version: Number(item.dataset.version) }, extra || {});
    return fetch("/dashboard/api/comments/" + item.dataset.id + "/" + action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error ? data.error.message : "The action failed.");
        return data;
      });
    });
  }

  function decide(item, action, extra) {
    if (!item || item.classList.contains("decided")) return;
    var list = items();
    var next = list[list.indexOf(item) + 1] || list[list.indexOf(item) - 1];
    post(item, action, extra).then(function (data) {
      item.dataset.version = data.version;
      item.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = data.version; });
      var box = item.querySelector(".select");
      if (box) { box.checked = false; box.value = item.dataset.id + ":" + data.version; }
      updateSelected();
      var tab = item.closest(".queue").dataset.tab;
      if (action === "feature" && (tab === "published" || tab === "all")) {
        // Still belongs in this tab: show the new state instead of hiding it.
        var button = item.querySelector('form[data-action="feature"] button');
        button.firstChild.textContent = /No longer/.test(data.message) ? "Feature " : "Unfeature ";
        say("Comment " + data.id + ": " + data.message + " Press u to undo.");
        return;
      }
      item.classList.add("decided");
      item.setAttribute("aria-hidden", "true");
      say("Comment " + data.id + ": " + data.message + " Press u to undo.");
      select(next && !next.classList.contains("decided") ? next : items()[0]);
      if (!items().length) {
        var more = document.querySelector("a.next");
        if (more) {
          // The page is done and more wait: load them without leaving the keyboard.
          say("Page cleared; loading the next comments.");
          window.location.reload();
        } else {
          say("Comment " + data.id + ": " + data.message + " Queue cleared. Press u to undo.");
        }
      }
    }).catch(function (error) {
      say(error.message, true);
      item.focus();
    });
  }

  function undo() {
    // The server knows this moderator's latest decision, even one made before a reload.
    fetch("/dashboard/api/undo", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: "{}"
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error ? data.error.message : "The undo failed.");
        return data;
      });
    }).then(function (data) {
      var item = document.getElementById("c" + data.id);
      if (item) {
        item.dataset.version = data.version;
        item.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = data.version; });
        var box = item.querySelector(".select");
        if (box) box.value = item.dataset.id + ":" + data.version;
        item.classList.remove("decided");
        item.removeAttribute("aria-hidden");
        select(item);
      }
      say("Comment " + data.id + ": " + data.message);
    }).catch(function (error) { say(error.message, true); });
  }

  function openAuthor(link) {
    if (!link) return;
    opener = link;
    fetch(link.href + "?panel=1", { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("The author's history could not be loaded.");
      return response.text();
    }).then(function (html) {
      // Server-rendered and autoescaped: reader text in it is inert.
      panel.innerHTML = html;
      drawer.showModal();
      panel.querySelector("#author-title").focus();
    }).catch(function (error) { say(error.message, true); });
  }

  document.querySelectorAll(".author-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      openAuthor(link);
    });
  });
  drawer.addEventListener("close", function () {
    if (opener) opener.focus();
  });

  function startReject(item) {
    if (!item) return;
    item.querySelector(".reject-reason").focus();
    say("Pick a reason, optionally type a note, then press Enter. Escape cancels.");
  }

  document.querySelectorAll("form.reject").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var item = form.closest(".item");
      decide(item, "reject", { reason: form.reason.value, note: form.note.value || null });
    });
    form.reason.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); form.requestSubmit(); }
    });
  });

  document.querySelectorAll(".item form[data-action]").forEach(function (form) {
    var action = form.dataset.action;
    if (action === "reject" || action === "ban") return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var item = form.closest(".item");
      decide(item, action);
    });
  });

  document.querySelectorAll(".reveal").forEach(function (button) {
    button.addEventListener("click", function () {
      button.closest(".item").classList.remove("blurred");
      button.remove();
    });
  });

  document.querySelectorAll(".queue .item").forEach(function (item) {
    item.addEventListener("focusin", function () {
      if (current !== item) { if (current) current.classList.remove("current"); current = item; item.classList.add("current"); }
    });
  });

  function updateSelected() {
    var count = document.querySelectorAll(".queue .select:checked").length;
    document.getElementById("selected-count").textContent = "Selected: " + count;
  }
  document.querySelectorAll(".queue .select").forEach(function (box) {
    box.addEventListener("change", updateSelected);
  });

  document.getElementById("help-button").addEventListener("click", function () { help.showModal(); });
  document.getElementById("undo-form").addEventListener("submit", function (event) {
    event.preventDefault();
    undo();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (event.key === "Escape" && current && target.closest && target.closest(".item")) {
      select(current);
      return;
    }
    if (target.matches && target.matches("input, textarea, select, button, summary") && event.key !== "?") {
      if (!(target.matches("button, summary") && "jkafrxusp".indexOf(event.key) >= 0)) return;
    }
    if (help.open && event.key !== "?") return;
    if (drawer.open) return;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": decide(current, "approve"); break;
      case "f": decide(current, "feature"); break;
      case "r": startReject(current); break;
      case "u": undo(); break;
      case "x":
        if (current) {
          var box = current.querySelector(".select");
          box.checked = !box.checked;
          updateSelected();
        }
        break;
      case "p":
        if (current) openAuthor(current.querySelector(".author-link"));
        break;
      case "s":
        if (current && current.querySelector(".reveal")) current.querySelector(".reveal").click();
        break;
      case "?":
        if (help.open) { help.close(); } else { help.showModal(); }
        break;
      default: return;
    }
    event.preventDefault();
  });

  select(items()[0]);
})();
