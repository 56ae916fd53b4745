/* Comments widget: thread, form, likes, reports, the author's own edits, sign-in from the site
   (data-sso-token, or data-sso-callback naming a function that returns a token or a promise of
   one) and reply notifications. Plain DOM, no HTML strings: every reader-supplied text goes
   through textContent. */
(function () {
  "use strict";
  var script = document.currentScript ||
    document.querySelector('script[src*="embed.js"][data-site]');
  if (!script) return;
  var base = script.src.replace(/\/embed\.js([?#].*)?$/, "");
  var site = script.getAttribute("data-site");
  var article = script.getAttribute("data-article");
  var root = document.getElementById(script.getAttribute("data-target") || "comments");
  if (!site || !article || !root) return;
  var api = base + "/api/v1/sites/" + encodeURIComponent(site) + "/";
  var articlePath = "articles/" + article.split("/").map(encodeURIComponent).join("/") +
    "/comments";
  var store = window.localStorage;
  var uid = 0;
  var state = { sort: "oldest", cursor: null, parent: null, readerToken: null, reader: null };
  var MAX = 5000;

  function el(tag, cls, text, attrs) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    return node;
  }

  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }

  function id(name) { uid += 1; return "mcw-" + name + "-" + uid; }

  function read(key) {
    try { return JSON.parse(store.getItem("mcw:" + site + ":" + key)); } catch (e) { return null; }
  }

  function write(key, value) {
    try { store.setItem("mcw:" + site + ":" + key, JSON.stringify(value)); } catch (e) { /* private mode */ }
  }

  function call(method, path, body, headers) {
    var options = { method: method, headers: headers || {}, cache: "no-cache" };
    /* Threads stay anonymous requests, so caches keep serving them to everyone. */
    if (state.readerToken && (method !== "GET" || path.indexOf("me") === 0)) {
      options.headers.Authorization = "Bearer " + state.readerToken;
    }
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data, headers: response.headers };
      });
    }, function () {
      return { status: 0, data: {}, headers: new Headers() };
    });
  }

  function problem(res, doing) {
    if (res.status === 429) {
      var wait = parseInt(res.headers.get("Retry-After"), 10) || 60;
      return "You are " + doing + " too fast; try again in " + wait + " s.";
    }
    if (res.status === 0) return "We could not reach the comments service; please try again.";
    return (res.data.error && res.data.error.message) || "Something went wrong; please try again.";
  }

  function plural(n) { return n === 1 ? "1 comment" : n + " comments"; }

  function say(text, kind) {
    status.textContent = text;
    status.className = "mcw-status" + (kind ? " mcw-status-" + kind : "");
  }

  /* Turn http(s) addresses into links; everything else stays text. */
  function linkify(parent, text) {
    var pattern = /\bhttps?:\/\/[^\s<>"']+/gi;
    var last = 0;
    var match;
    while ((match = pattern.exec(text))) {
      var href = match[0].replace(/[.,;:!?)\]]+$/, "");
      var url = null;
      try { url = new URL(href); } catch (e) { url = null; }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      add(parent, el("a", null, href, { href: url.href, rel: "nofollow ugc noopener",
        target: "_blank" }));
      last = match.index + href.length;
      pattern.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function own(commentId) {
    var mine = read("c" + commentId);
    return mine && mine.exp > Date.now() ? mine.token : null;
  }

  function renderComment(c, withReplies) {
    var item = el("li", "mcw-comment", null, withReplies ? { id: "mcw-c" + c.id } : {});
    var head = add(el("p", "mcw-meta"), el("strong", "mcw-author", c.author_name),
      el("time", "mcw-time", new Date(c.created_at).toLocaleString(),
        { datetime: c.created_at }));
    var body = el("div", "mcw-body");
    linkify(body, c.body);
    var actions = el("div", "mcw-actions");
    var reply = el("button", "mcw-link", "Reply", { type: "button" });
    reply.addEventListener("click", function () { startReply(c); });
    var liked = !!read("l" + c.id);
    var like = el("button", "mcw-link mcw-like", "Like (" + c.likes + ")",
      { type: "button", "aria-pressed": String(liked) });
    like.addEventListener("click", function () { toggleLike(c, like); });
    var report = el("button", "mcw-link", "Report", { type: "button", "aria-expanded": "false" });
    report.addEventListener("click", function () { openReport(c, item, report); });
    add(actions, withReplies ? reply : null, like, report);
    if (own(c.id)) addOwnActions(c, item, body, actions);
    add(item, head, body, actions);
    if (withReplies && c.replies && c.replies.length) {
      var list = el("ol", "mcw-replies");
      c.replies.forEach(function (r) { list.appendChild(renderComment(r, true)); });
      item.appendChild(list);
    }
    return item;
  }

  function toggleLike(c, button) {
    var liked = button.getAttribute("aria-pressed") === "true";
    call(liked ? "DELETE" : "POST", "comments/" + c.id + "/like").then(function (res) {
      if (res.status !== 200) return say(problem(res, "liking"), "error");
      write("l" + c.id, res.data.liked || null);
      button.setAttribute("aria-pressed", String(res.data.liked));
      button.textContent = "Like (" + res.data.likes + ")";
    });
  }

  function openReport(c, item, opener) {
    var existing = item.querySelector(".mcw-report");
    if (existing) { existing.remove(); opener.setAttribute("aria-expanded", "false"); return; }
    opener.setAttribute("aria-expanded", "true");
    var box = el("div", "mcw-report");
    var selectId = id("reason");
    var select = el("select", null, null, { id: selectId });
    [["abusive", "Abusive"], ["spam", "Spam"], ["off_topic", "Off-topic"], ["other", "Other"]]
      .forEach(function (o) { add(select, el("option", null, o[1], { value: o[0] })); });
    var send = el("button", "mcw-button", "Send report", { type: "button" });
    send.addEventListener("click", function () {
      call("POST", "comments/" + c.id + "/flags", { reason: select.value }).then(function (res) {
        if (res.status === 201) {
          box.remove();
          opener.setAttribute("aria-expanded", "false");
          return say(res.data.message, "ok");
        }
        say(problem(res, "reporting"), "error");
      });
    });
    add(box, el("label", null, "Why are you reporting this comment?", { for: selectId }),
      select, send);
    item.insertBefore(box, item.querySelector(".mcw-replies"));
    select.focus();
  }

  function addOwnActions(c, item, body, actions) {
    var token = own(c.id);
    var edit = el("button", "mcw-link", "Edit", { type: "button" });
    var remove = el("button", "mcw-link", "Delete", { type: "button" });
    edit.addEventListener("click", function () {
      var areaId = id("edit");
      var area = el("textarea", "mcw-input", null, { id: areaId, maxlength: String(MAX),
        rows: "3" });
      area.value = c.body;
      var save = el("button", "mcw-button", "Save", { type: "button" });
      var box = add(el("div", "mcw-edit"), el("label", null, "Edit your comment",
        { for: areaId }), area, save);
      save.addEventListener("click", function () {
        call("PATCH", "comments/" + c.id, { body: area.value }, { "X-Edit-Token": token })
          .then(function (res) {
            if (res.status !== 200 && res.status !== 202) return say(problem(res, "editing"), "error");
            say(res.data.message, res.data.state === "published" ? "ok" : "");
            loadThread(false);
          });
      });
      body.replaceWith(box);
      area.focus();
    });
    remove.addEventListener("click", function () {
      if (remove.textContent === "Delete") { remove.textContent = "Confirm delete"; return; }
      call("DELETE", "comments/" + c.id, null, { "X-Edit-Token": token }).then(function (res) {
        if (res.status !== 200) return say(problem(res, "deleting"), "error");
        write("c" + c.id, null);
        say("Your comment was deleted.", "ok");
        loadThread(false);
      });
    });
    add(actions, edit, remove);
  }

  function startReply(c) {
    state.parent = c.id;
    replyNote.textContent = "Replying to " + c.author_name + ". ";
    add(replyNote, cancelReply);
    replyNote.hidden = false;
    bodyField.focus();
  }

  function stopReply() {
    state.parent = null;
    replyNote.hidden = true;
  }

  function loadThread(more) {
    var query = "?sort=" + state.sort + (more && state.cursor ?
      "&cursor=" + encodeURIComponent(state.cursor) : "");
    return call("GET", articlePath + query).then(function (res) {
      if (res.status !== 200) return say(problem(res, "loading"), "error");
      var data = res.data;
      count.textContent = plural(data.count);
      if (!more) {
        thread.textContent = "";
        featuredList.textContent = "";
        (data.featured || []).forEach(function (c) {
          featuredList.appendChild(renderComment(c, false));
        });
        featured.hidden = !(data.featured && data.featured.length);
      }
      data.comments.forEach(function (c) { thread.appendChild(renderComment(c, true)); });
      state.cursor = data.next_cursor;
      moreButton.hidden = !data.next_cursor;
      if (data.closed) form.hidden = true;
    });
  }

  /* After a 202 the decision comes later: ask for it for a bounded time. */
  function pollState(commentId, tries) {
    if (tries <= 0) return;
    setTimeout(function () {
      call("GET", "comments/" + commentId + "/state").then(function (res) {
        if (res.status === 200 && res.data.state !== "pending") {
          say(res.data.message, res.data.state === "published" ? "ok" : "");
          if (res.data.state === "published") loadThread(false);
        } else if (res.status !== 404) {  /* 404: the author deleted it meanwhile */
          pollState(commentId, tries - 1);
        }
      });
    }, 2000);
  }

  function fieldError(field, message) {
    var note = document.getElementById(field.getAttribute("data-error"));
    note.textContent = message || "";
    note.hidden = !message;
    if (message) field.setAttribute("aria-invalid", "true");
    else field.removeAttribute("aria-invalid");
  }

  function submit(event) {
    event.preventDefault();
    var checks = [[bodyField, "Please write a comment."]];
    if (!state.reader) checks.unshift([nameField, "Please enter your name."]);
    var bad = null;
    checks.forEach(function (check) {
      var empty = !check[0].value.trim();
      fieldError(check[0], empty ? check[1] : null);
      if (empty && !bad) bad = check[0];
    });
    var wantsEmail = !state.reader && notifyField.checked && !emailField.value.trim();
    fieldError(emailField, wantsEmail ? "Give your email to hear of replies." : null);
    if (wantsEmail && !bad) bad = emailField;
    if (bad) { say("Please fill in the highlighted fields.", "error"); bad.focus(); return; }
    var payload = { body: bodyField.value, article_title: document.title,
      article_url: location.href.split("#")[0], notify_replies: notifyField.checked };
    if (!state.reader) {
      payload.author_name = nameField.value;
      payload.email = emailField.value || null;
    }
    if (state.parent) payload.parent_id = state.parent;
    post.disabled = true;
    call("POST", articlePath, payload).then(function (res) {
      post.disabled = false;
      if (res.status === 201 || res.status === 202) {
        var d = res.data;
        write("name", nameField.value);
        if (d.edit_token) write("c" + d.id, { token: d.edit_token,
          exp: Date.now() + (d.edit_seconds || 300) * 1000 });
        bodyField.value = "";
        updateRemaining();
        stopReply();
        var confirmNote = payload.notify_replies && !state.reader ?
          " Check your email to confirm reply notifications." : "";
        say(d.message + confirmNote, d.state === "published" ? "ok" : "");
        if (d.state === "published") loadThread(false);
        if (res.status === 202) pollState(d.id, 30);
        return;
      }
      var fields = (res.data.error && res.data.error.fields) || {};
      if (res.status === 401) return say(problem(res, "commenting"), "error");
      var map = { author_name: nameField, body: bodyField, email: emailField };
      for (var key in map) fieldError(map[key], fields[key] && fields[key].join(" "));
      say(problem(res, "commenting"), "error");
    });
  }

  function updateRemaining() {
    remaining.textContent = (MAX - bodyField.value.length) + " characters left";
  }

  function field(label, control, hint) {
    var controlId = id("field");
    var errorId = id("error");
    control.id = controlId;
    control.setAttribute("data-error", errorId);
    var described = errorId + (hint ? " " + hint.id : "");
    control.setAttribute("aria-describedby", described);
    return add(el("div", "mcw-field"), el("label", null, label, { for: controlId }), control,
      hint, el("p", "mcw-error", null, { id: errorId, hidden: "" }));
  }

  var css = el("link", null, null, { rel: "stylesheet", href: base + "/embed.css" });
  document.head.appendChild(css);
  var box = el("section", "mcw", null, { "aria-label": "Comments" });
  var count = el("h2", "mcw-count", "Comments");
  var status = el("div", "mcw-status", null, { role: "status", "aria-live": "polite" });
  var featured = el("section", "mcw-featured", null, { hidden: "" });
  var featuredList = el("ol", "mcw-list");
  add(featured, el("h3", null, "Editors' picks"), featuredList);
  var sortId = id("sort");
  var sortSelect = el("select", null, null, { id: sortId });
  [["oldest", "Oldest"], ["newest", "Newest"], ["top", "Top"]].forEach(function (o) {
    add(sortSelect, el("option", null, o[1], { value: o[0] }));
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    loadThread(false);
  });
  var sortBar = add(el("div", "mcw-sort"), el("label", null, "Sort by ", { for: sortId }),
    sortSelect);
  var thread = el("ol", "mcw-list mcw-thread");
  var moreButton = el("button", "mcw-button mcw-more", "Load more", { type: "button",
    hidden: "" });
  moreButton.addEventListener("click", function () { loadThread(true); });

  var form = el("form", "mcw-form", null, { novalidate: "" });
  var nameField = el("input", "mcw-input", null, { type: "text", maxlength: "80",
    autocomplete: "name", required: "" });
  nameField.value = read("name") || "";
  var emailField = el("input", "mcw-input", null, { type: "email", maxlength: "320",
    autocomplete: "email" });
  var remaining = el("p", "mcw-hint", null, { id: id("left") });
  var bodyField = el("textarea", "mcw-input", null, { rows: "4", maxlength: String(MAX),
    required: "" });
  bodyField.addEventListener("input", updateRemaining);
  var replyNote = el("p", "mcw-replying", null, { hidden: "" });
  var cancelReply = el("button", "mcw-link", "Cancel reply", { type: "button" });
  cancelReply.addEventListener("click", stopReply);
  var post = el("button", "mcw-button mcw-post", "Post comment", { type: "submit" });
  var notifyField = el("input", null, null, { type: "checkbox" });
  var notifyId = id("notify");
  notifyField.id = notifyId;
  var notifyBox = add(el("div", "mcw-field mcw-notify"), notifyField,
    el("label", null, " Email me when someone replies", { for: notifyId }));
  var signedIn = el("p", "mcw-signed-in", null, { hidden: "" });
  var anonymousFields = add(el("div", "mcw-anonymous"), field("Name", nameField),
    field("Email (optional, never shown)", emailField));
  add(form, el("h3", null, "Leave your comment"), replyNote, signedIn, anonymousFields,
    field("Comment", bodyField, remaining), notifyBox, post);
  form.addEventListener("submit", submit);
  updateRemaining();

  /* The reader's own data, once the site has signed them in. */
  var mine = el("div", "mcw-mine", null, { hidden: "" });
  var download = el("button", "mcw-link", "Download my comments", { type: "button" });
  download.addEventListener("click", function () {
    call("GET", "me/export").then(function (res) {
      if (res.status !== 200) return say(problem(res, "downloading"), "error");
      var blob = new Blob([JSON.stringify(res.data, null, 2)], { type: "application/json" });
      var link = el("a", null, null, { href: URL.createObjectURL(blob),
        download: "my-comments.json" });
      link.click();
    });
  });
  var erase = el("button", "mcw-link", "Delete my account", { type: "button" });
  erase.addEventListener("click", function () {
    if (erase.textContent === "Delete my account") {
      erase.textContent = "Confirm: delete my account and my email";
      return;
    }
    call("DELETE", "me").then(function (res) {
      if (res.status !== 200) return say(problem(res, "deleting"), "error");
      state.reader = null;
      state.readerToken = null;
      showReader();
      say("Your account and email address are deleted.", "ok");
      loadThread(false);
    });
  });
  add(mine, download, el("span", null, " · "), erase);

  function showReader() {
    var r = state.reader;
    signedIn.hidden = !r;
    mine.hidden = !r;
    anonymousFields.hidden = !!r;
    signedIn.textContent = r ? "Signed in as " + r.username : "";
    if (r && !r.email_known) notifyBox.hidden = true;
  }

  /* The host page hands over the token its server signed; it is traded for a reader token. */
  function ssoToken() {
    var direct = script.getAttribute("data-sso-token");
    if (direct) return Promise.resolve(direct);
    var name = script.getAttribute("data-sso-callback");
    if (name && typeof window[name] === "function") {
      return Promise.resolve(window[name]()).catch(function () { return null; });
    }
    return Promise.resolve(null);
  }

  function signIn() {
    return ssoToken().then(function (token) {
      if (!token) return null;
      return call("POST", "sso", { token: token }).then(function (res) {
        if (res.status !== 200) return say(problem(res, "signing in"), "error");
        state.readerToken = res.data.reader_token;
        state.reader = res.data.reader;
        showReader();
      });
    });
  }

  add(box, count, featured, sortBar, thread, moreButton, form, mine, status);
  root.textContent = "";
  root.appendChild(box);
  signIn().then(function () { loadThread(false); });
})();
