/* Comments widget: thread, form, likes, reports, the author's own edits and pending comments
   (shown to them alone, in place), a nudge before posting a draft the model would hold,
   sign-in from the site
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
  var state = { sort: "oldest", cursor: null, parent: null, readerToken: null, reader: null,
    nudgeToken: null, nudged: false };
  var MAX = 5000;
  var POLL = 20000;  /* ms between checks of the reader's own pending comments */
  /* The one catalogue: English is the key (and the fallback); the site picks the language
     with data-lang. Server messages are English keys too, so known ones are translated. */
  var CATALOGUE = {
    fr: {
      "Comments": "Commentaires", "1 comment": "1 commentaire", "{n} comments": "{n} commentaires",
      "Reply": "Répondre", "Like ({n})": "J'aime ({n})", "Report": "Signaler",
      "Reported": "Signalé", "Edit": "Modifier", "Delete": "Supprimer",
      "Confirm delete": "Confirmer la suppression", "Save": "Enregistrer",
      "Abusive": "Injurieux", "Spam": "Spam", "Off-topic": "Hors sujet", "Other": "Autre",
      "Send report": "Envoyer le signalement",
      "Why are you reporting this comment?": "Pourquoi signalez-vous ce commentaire ?",
      "Edit your comment": "Modifiez votre commentaire",
      "Replying to {name}. ": "Réponse à {name}. ", "Cancel reply": "Annuler la réponse",
      "Editors' picks": "Sélection de la rédaction", "Sort by ": "Trier par ",
      "Oldest": "Les plus anciens", "Newest": "Les plus récents", "Top": "Les plus appréciés",
      "Load more": "Afficher plus", "Leave your comment": "Laissez votre commentaire",
      "Name": "Nom", "Email (optional, never shown)": "E-mail (facultatif, jamais affiché)",
      "Comment": "Commentaire", "Post comment": "Publier",
      "{n} characters left": "{n} caractères restants",
      "Please enter your name.": "Veuillez indiquer votre nom.",
      "Please write a comment.": "Veuillez écrire un commentaire.",
      "Give your email to hear of replies.": "Donnez votre adresse e-mail pour être averti des réponses.",
      "Email me when someone replies": "M'avertir par e-mail quand quelqu'un répond",
      "Your account and email address are deleted.": "Votre compte et votre adresse e-mail sont supprimés.",
      "Please fill in the highlighted fields.": "Veuillez remplir les champs signalés.",
      "You are {doing} too fast; try again in {n} s.": "Vous allez trop vite ; réessayez dans {n} s.",
      "We could not reach the comments service; please try again.":
        "Le service de commentaires est injoignable ; veuillez réessayer.",
      "Something went wrong; please try again.": "Une erreur est survenue ; veuillez réessayer.",
      "Your comment is published.": "Votre commentaire est publié.",
      "Your comment is awaiting moderation.": "Votre commentaire attend la modération.",
      "Your comment was not published because it appears to break the community guidelines.":
        "Votre commentaire n'a pas été publié car il semble enfreindre les règles de la communauté.",
      "Your comment was deleted.": "Votre commentaire a été supprimé.",
      "Thank you; the moderators will look at this comment.":
        "Merci ; les modérateurs examineront ce commentaire.",
      "Awaiting moderation": "En attente de modération",
      "Your comment was not published.": "Votre commentaire n'a pas été publié.",
      "Send as is": "Envoyer tel quel",
      "Before you post: our moderators might not publish this comment as it is written. You can change it, or send it as it is.":
        "Avant de publier : nos modérateurs pourraient ne pas publier ce commentaire tel qu'il est écrit. Vous pouvez le modifier, ou l'envoyer tel quel."
    },
    ar: {
      "Comments": "التعليقات", "1 comment": "تعليق واحد", "{n} comments": "التعليقات: {n}",
      "Reply": "رد", "Like ({n})": "إعجاب ({n})", "Report": "إبلاغ", "Reported": "تم الإبلاغ",
      "Edit": "تعديل", "Delete": "حذف", "Confirm delete": "تأكيد الحذف", "Save": "حفظ",
      "Abusive": "مسيء", "Spam": "رسائل مزعجة", "Off-topic": "خارج الموضوع", "Other": "أخرى",
      "Send report": "إرسال البلاغ",
      "Why are you reporting this comment?": "لماذا تبلغ عن هذا التعليق؟",
      "Edit your comment": "عدّل تعليقك", "Replying to {name}. ": "رد على {name}. ",
      "Cancel reply": "إلغاء الرد", "Editors' picks": "اختيارات المحررين",
      "Sort by ": "ترتيب حسب ", "Oldest": "الأقدم", "Newest": "الأحدث", "Top": "الأكثر إعجابًا",
      "Load more": "تحميل المزيد", "Leave your comment": "اترك تعليقك", "Name": "الاسم",
      "Email (optional, never shown)": "البريد الإلكتروني (اختياري، لا يُعرض أبدًا)",
      "Comment": "التعليق", "Post comment": "نشر التعليق",
      "{n} characters left": "الأحرف المتبقية: {n}",
      "Please enter your name.": "يرجى إدخال اسمك.",
      "Please write a comment.": "يرجى كتابة تعليق.",
      "Give your email to hear of replies.": "أدخل بريدك الإلكتروني لتصلك الردود.",
      "Email me when someone replies": "أرسل لي بريدًا عندما يرد أحد",
      "Your account and email address are deleted.": "تم حذف حسابك وعنوان بريدك الإلكتروني.",
      "Please fill in the highlighted fields.": "يرجى ملء الحقول المميزة.",
      "You are {doing} too fast; try again in {n} s.": "أنت تسرع كثيرًا؛ حاول مجددًا بعد {n} ث.",
      "We could not reach the comments service; please try again.":
        "تعذّر الوصول إلى خدمة التعليقات؛ يرجى المحاولة مجددًا.",
      "Something went wrong; please try again.": "حدث خطأ ما؛ يرجى المحاولة مجددًا.",
      "Your comment is published.": "تم نشر تعليقك.",
      "Your comment is awaiting moderation.": "تعليقك بانتظار المراجعة.",
      "Your comment was not published because it appears to break the community guidelines.":
        "لم يُنشر تعليقك لأنه يبدو مخالفًا لقواعد المجتمع.",
      "Your comment was deleted.": "تم حذف تعليقك.",
      "Thank you; the moderators will look at this comment.":
        "شكرًا لك؛ سيراجع المشرفون هذا التعليق.",
      "Awaiting moderation": "بانتظار المراجعة",
      "Your comment was not published.": "لم يُنشر تعليقك.",
      "Send as is": "إرسال كما هو",
      "Before you post: our moderators might not publish this comment as it is written. You can change it, or send it as it is.":
        "قبل النشر: قد لا ينشر المشرفون هذا التعليق بصيغته الحالية. يمكنك تعديله أو إرساله كما هو."
    }
  };
  var lang = (script.getAttribute("data-lang") || "en").toLowerCase();
  if (!CATALOGUE[lang]) lang = "en";
  var RTL = { ar: true };

  function t(text, values) {
    var out = (CATALOGUE[lang] || {})[text] || text;
    for (var key in values || {}) out = out.split("{" + key + "}").join(values[key]);
    return out;
  }

  /* "3 minutes ago" in the widget's language; the exact time (reader's locale) is on hover. */
  function ago(iso) {
    var seconds = (new Date(iso).getTime() - Date.now()) / 1000;
    var units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400],
      ["hour", 3600], ["minute", 60]];
    var format = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(seconds) >= units[i][1]) {
        return format.format(Math.round(seconds / units[i][1]), units[i][0]);
      }
    }
    return format.format(0, "second");
  }

  function timeLink(c) {
    var when = new Date(c.created_at);
    var stamp = el("time", "mcw-time-text", ago(c.created_at), { datetime: c.created_at,
      title: when.toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" }) });
    return add(el("a", "mcw-time", null, { href: "#comment-" + c.id }), stamp);
  }

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
      return t("You are {doing} too fast; try again in {n} s.", { doing: doing, n: wait });
    }
    if (res.status === 0) return t("We could not reach the comments service; please try again.");
    return t((res.data.error && res.data.error.message) ||
      "Something went wrong; please try again.");
  }

  function plural(n) { return n === 1 ? t("1 comment") : t("{n} comments", { n: n }); }

  function say(text, kind) {
    status.textContent = t(text);
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

  /* The reader's own comments on this device: the edit token and, while a comment awaits
     moderation, its text, so it shows in place for them alone, across reloads. */
  function remember(c, token, seconds, pending) {
    var old = read("c" + c.id) || {};
    write("c" + c.id, { token: token || old.token, a: article, p: pending ? 1 : 0,
      exp: old.exp || Date.now() + (seconds || 300) * 1000,
      c: pending ? { id: c.id, parent_id: c.parent_id, author_name: c.author_name, body: c.body,
        created_at: c.created_at, likes: 0, replies: [] } : null });
  }

  function forget(commentId) { write("c" + commentId, null); }

  function pendingOwn() {
    var out = [];
    var prefix = "mcw:" + site + ":";
    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i) || "";
        if (key.indexOf(prefix) !== 0 || !/^c\d+$/.test(key.slice(prefix.length))) continue;
        var mine = JSON.parse(store.getItem(key));
        if (mine && mine.p && mine.a === article && mine.c) out.push(mine.c);
      }
    } catch (e) { /* no storage: nothing remembered */ }
    return out.sort(function (x, y) { return x.id - y.id; });  /* storage has no order */
  }

  /* Caches (the browser's, a CDN's) may hold a thread or count for a few seconds; right
     after the reader changed one, they must not be shown the old one. */
  function justChanged() { write("fresh", Date.now() + 60000); }

  function freshQuery() { return read("fresh") > Date.now() ? "&fresh=" + Date.now() : ""; }

  function showCount(n) {
    count.textContent = plural(n);
    /* count.js elements for the same article on this page show the same number. */
    (window.mcwCounts = window.mcwCounts || {})[site + "\n" + article] = n;
    document.dispatchEvent(new CustomEvent("mcw:count",
      { detail: { site: site, article: article, count: n } }));
  }

  function refreshCount() {
    call("GET", "counts?article=" + encodeURIComponent(article) + "&fresh=" + Date.now())
      .then(function (res) {
        if (res.status === 200 && res.data.counts) showCount(res.data.counts[article] || 0);
      });
  }

  /* A reply goes under its parent, a new comment where the sort puts it. */
  function place(node, c) {
    var parent = c.parent_id && document.getElementById("mcw-c" + c.parent_id);
    if (parent && thread.contains(parent)) {
      var list = parent.querySelector(":scope > .mcw-replies");
      if (!list) list = parent.appendChild(el("ol", "mcw-replies"));
      return list.appendChild(node);
    }
    if (state.sort === "newest") thread.insertBefore(node, thread.firstChild);
    else thread.appendChild(node);
  }

  /* Show the reader's own comment in its new state, where it is, leaving the rest of the
     thread (pages loaded, open boxes) as it was. */
  function settle(c, st) {
    var old = document.getElementById("mcw-c" + c.id);
    var node = null;
    if (st === "published" || st === "pending") {
      node = renderComment(c, true, st === "pending");
      var replies = old && old.querySelector(":scope > .mcw-replies");
      if (replies) node.appendChild(replies);
    } else if (st === "rejected") {
      node = el("li", "mcw-note mcw-gone", t("Your comment was not published."),
        { role: "status" });
    }
    if (old && node) old.replaceWith(node);
    else if (old) old.remove();
    else if (node) place(node, c);
    refreshCount();
  }

  function showPending() {
    pendingOwn().forEach(function (c) {
      if (document.getElementById("mcw-c" + c.id)) remember(c, null, 0, false);  /* published */
      else place(renderComment(c, true, true), c);
    });
    schedulePoll(1000);  /* a decision may have come while the page was closed */
  }

  var pollTimer = null;
  function schedulePoll(delay) {
    clearTimeout(pollTimer);
    if (pendingOwn().length) pollTimer = setTimeout(checkPending, delay);
  }

  /* Moderators decide later: a published comment turns into a normal one, a rejected one
     leaves a short note, a deleted one goes. */
  function checkPending() {
    Promise.all(pendingOwn().map(function (c) {
      return call("GET", "comments/" + c.id + "/state").then(function (res) {
        var st = res.status === 404 ? "deleted" : res.status === 200 ? res.data.state : "pending";
        if (st === "pending") return;
        if (st === "published") {
          remember(c, null, 0, false);
          say(res.data.message, "ok");
        } else {
          forget(c.id);
        }
        justChanged();
        settle(c, st);
      });
    })).then(function () { schedulePoll(POLL); });
  }

  function renderComment(c, withReplies, pending) {
    var item = el("li", "mcw-comment" + (pending ? " mcw-pending" : ""), null,
      withReplies ? { id: "mcw-c" + c.id } : {});
    var head = add(el("p", "mcw-meta"), el("strong", "mcw-author", c.author_name,
      { dir: "auto" }), timeLink(c),
      pending ? el("span", "mcw-badge", t("Awaiting moderation")) : null);
    var body = el("div", "mcw-body", null, { dir: "auto" });
    linkify(body, c.body);
    var actions = el("div", "mcw-actions");
    var reply = el("button", "mcw-link", t("Reply"), { type: "button" });
    reply.addEventListener("click", function () { startReply(c, item); });
    var liked = !!read("l" + c.id);
    var like = el("button", "mcw-link mcw-like", t("Like ({n})", { n: c.likes }),
      { type: "button", "aria-pressed": String(liked) });
    like.addEventListener("click", function () { toggleLike(c, like); });
    var report = el("button", "mcw-link mcw-report-button", t("Report"),
      { type: "button", "aria-expanded": "false" });
    report.addEventListener("click", function () { openReport(c, item, report); });
    if (read("r" + c.id)) markReported(report);
    if (!pending) add(actions, withReplies ? reply : null, like, report);
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
      button.textContent = t("Like ({n})", { n: res.data.likes });
    });
  }

  function markReported(button) {
    button.textContent = t("Reported");
    button.disabled = true;
    button.removeAttribute("aria-expanded");
  }

  function openReport(c, item, opener) {
    var existing = item.querySelector(".mcw-report");
    if (existing) { existing.remove(); opener.setAttribute("aria-expanded", "false"); return; }
    opener.setAttribute("aria-expanded", "true");
    var box = el("div", "mcw-report");
    var selectId = id("reason");
    var select = el("select", null, null, { id: selectId });
    [["abusive", "Abusive"], ["spam", "Spam"], ["off_topic", "Off-topic"], ["other", "Other"]]
      .forEach(function (o) { add(select, el("option", null, t(o[1]), { value: o[0] })); });
    var send = el("button", "mcw-button", t("Send report"), { type: "button" });
    send.addEventListener("click", function () {
      call("POST", "comments/" + c.id + "/flags", { reason: select.value }).then(function (res) {
        if (res.status === 201) {
          box.remove();
          write("r" + c.id, 1);
          markReported(opener);
          // Confirmed beside the comment itself, where the reader's eyes are.
          var note = el("p", "mcw-note mcw-status-ok", t(res.data.message), { role: "status" });
          item.insertBefore(note, item.querySelector(".mcw-replies"));
          return opener.focus();
        }
        say(problem(res, "reporting"), "error");
      });
    });
    add(box, el("label", null, t("Why are you reporting this comment?"), { for: selectId }),
      select, send);
    item.insertBefore(box, item.querySelector(".mcw-replies"));
    select.focus();
  }

  function addOwnActions(c, item, body, actions) {
    var token = own(c.id);
    var edit = el("button", "mcw-link", t("Edit"), { type: "button" });
    var remove = el("button", "mcw-link", t("Delete"), { type: "button" });
    edit.addEventListener("click", function () {
      var areaId = id("edit");
      var area = el("textarea", "mcw-input", null, { id: areaId, maxlength: String(MAX),
        rows: "3" });
      area.value = c.body;
      var save = el("button", "mcw-button", t("Save"), { type: "button" });
      var box = add(el("div", "mcw-edit"), el("label", null, t("Edit your comment"),
        { for: areaId }), area, save);
      save.addEventListener("click", function () {
        call("PATCH", "comments/" + c.id, { body: area.value }, { "X-Edit-Token": token })
          .then(function (res) {
            if (res.status !== 200) return say(problem(res, "editing"), "error");
            var d = res.data;
            say(d.message, d.state === "published" ? "ok" : "");
            if (d.state === "published" || d.state === "pending") {
              remember(d, null, 0, d.state === "pending");
            } else {
              forget(d.id);
            }
            justChanged();
            settle(d, d.state);
            schedulePoll(POLL);
          });
      });
      body.replaceWith(box);
      area.focus();
    });
    remove.addEventListener("click", function () {
      if (remove.textContent === t("Delete")) { remove.textContent = t("Confirm delete"); return; }
      call("DELETE", "comments/" + c.id, null, { "X-Edit-Token": token }).then(function (res) {
        if (res.status !== 200) return say(problem(res, "deleting"), "error");
        forget(c.id);
        justChanged();
        say("Your comment was deleted.", "ok");
        settle(c, "deleted");
      });
    });
    add(actions, edit, remove);
  }

  /* The form moves under the comment being answered, and back to the end afterwards. */
  function startReply(c, item) {
    state.parent = c.id;
    [nameField, emailField, bodyField].forEach(function (f) { fieldError(f, null); });
    say("");
    item.insertBefore(form, item.querySelector(".mcw-replies"));
    replyNote.textContent = t("Replying to {name}. ", { name: c.author_name });
    add(replyNote, cancelReply);
    replyNote.hidden = false;
    bodyField.focus();
  }

  function stopReply() {
    state.parent = null;
    replyNote.hidden = true;
    box.insertBefore(form, status);
  }

  function loadThread(more) {
    var query = "?sort=" + state.sort + (more && state.cursor ?
      "&cursor=" + encodeURIComponent(state.cursor) : "") + freshQuery();
    return call("GET", articlePath + query).then(function (res) {
      if (res.status !== 200) return say(problem(res, "loading"), "error");
      var data = res.data;
      showCount(data.count);
      if (!more) {
        if (thread.contains(form)) stopReply();  // rebuilding the thread would drop the form
        thread.textContent = "";
        featuredList.textContent = "";
        (data.featured || []).forEach(function (c) {
          featuredList.appendChild(renderComment(c, false));
        });
        featured.hidden = !(data.featured && data.featured.length);
      }
      data.comments.forEach(function (c) {
        /* The reader's own comment, shown early where it was posted, moves to its place. */
        var early = document.getElementById("mcw-c" + c.id);
        if (early && thread.contains(early)) early.remove();
        thread.appendChild(renderComment(c, true));
      });
      state.cursor = data.next_cursor;
      moreButton.hidden = !data.next_cursor;
      if (data.closed) form.hidden = true;
      if (!more) showPending();
    });
  }

  /* #comment-123: load pages until the comment is there (a few at most), then show it. */
  function showLinked(pages) {
    var match = /^#comment-(\d+)$/.exec(location.hash);
    if (!match) return;
    var target = document.getElementById("mcw-c" + match[1]);
    if (!target && state.cursor && pages > 0) {
      return loadThread(true).then(function () { showLinked(pages - 1); });
    }
    if (!target) return;
    var old = root.querySelector(".mcw-target");
    if (old) old.classList.remove("mcw-target");
    target.classList.add("mcw-target");
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
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
    var checks = [[bodyField, t("Please write a comment.")]];
    if (!state.reader) checks.unshift([nameField, t("Please enter your name.")]);
    var bad = null;
    checks.forEach(function (check) {
      var empty = !check[0].value.trim();
      fieldError(check[0], empty ? check[1] : null);
      if (empty && !bad) bad = check[0];
    });
    var wantsEmail = !state.reader && notifyField.checked && !emailField.value.trim();
    fieldError(emailField, wantsEmail ? t("Give your email to hear of replies.") : null);
    if (wantsEmail && !bad) bad = emailField;
    if (bad) { say(t("Please fill in the highlighted fields."), "error"); bad.focus(); return; }
    var payload = { body: bodyField.value, article_title: document.title,
      article_url: location.href.split("#")[0], notify_replies: notifyField.checked };
    if (!state.reader) {
      payload.author_name = nameField.value;
      payload.email = emailField.value || null;
    }
    if (state.parent) payload.parent_id = state.parent;
    /* Asked once: the second submit carries the token and is stored whatever it says. */
    if (state.nudgeToken) payload.nudge_token = state.nudgeToken;
    payload.nudge = !state.nudged;
    post.disabled = true;
    call("POST", articlePath, payload).then(function (res) {
      post.disabled = false;
      if (res.status === 200 && res.data.state === "nudge") {
        state.nudged = true;
        state.nudgeToken = res.data.nudge_token;
        nudgeText.textContent = t(res.data.message);
        nudgeBox.hidden = false;
        say("");
        return bodyField.focus();
      }
      var code = res.data.error && res.data.error.code;
      if (res.status === 403 && /^nudge_token_/.test(code || "")) {
        /* The kept draft is too old: send the comment as it now reads, not nudged again. */
        state.nudgeToken = null;
        return submit(event);
      }
      if (res.status === 201 || res.status === 202) {
        var d = res.data;
        write("name", nameField.value);
        if (d.edit_token) remember(d, d.edit_token, d.edit_seconds, d.state === "pending");
        state.nudged = false;
        state.nudgeToken = null;
        nudgeBox.hidden = true;
        bodyField.value = "";
        updateRemaining();
        stopReply();
        justChanged();
        var confirmNote = payload.notify_replies && !state.reader ?
          " Check your email to confirm reply notifications." : "";
        say(d.message + confirmNote, d.state === "published" ? "ok" : "");
        if (d.state !== "rejected") settle(d, d.state);
        schedulePoll(res.status === 202 ? 2000 : POLL);
        return;
      }
      var fields = (res.data.error && res.data.error.fields) || {};
      if (res.status === 401) return say(problem(res, "commenting"), "error");
      var map = { author_name: nameField, body: bodyField, email: emailField };
      for (var key in map) fieldError(map[key], fields[key] && t(fields[key].join(" ")));
      say(problem(res, "commenting"), "error");
    });
  }

  function updateRemaining() {
    remaining.textContent = t("{n} characters left", { n: MAX - bodyField.value.length });
  }

  function field(label, control, hint) {
    var controlId = id("field");
    var errorId = id("error");
    control.id = controlId;
    control.setAttribute("data-error", errorId);
    var described = errorId + (hint ? " " + hint.id : "");
    control.setAttribute("aria-describedby", described);
    return add(el("div", "mcw-field"), el("label", null, t(label), { for: controlId }), control,
      hint, el("p", "mcw-error", null, { id: errorId, hidden: "" }));
  }

  var css = el("link", null, null, { rel: "stylesheet", href: base + "/embed.css" });
  document.head.appendChild(css);
  var box = el("section", "mcw", null, { "aria-label": t("Comments"), lang: lang,
    dir: RTL[lang] ? "rtl" : "ltr" });
  var count = el("h2", "mcw-count", t("Comments"));
  var status = el("div", "mcw-status", null, { role: "status", "aria-live": "polite" });
  var featured = el("section", "mcw-featured", null, { hidden: "" });
  var featuredList = el("ol", "mcw-list");
  add(featured, el("h3", null, t("Editors' picks")), featuredList);
  var sortId = id("sort");
  var sortSelect = el("select", null, null, { id: sortId });
  [["oldest", "Oldest"], ["newest", "Newest"], ["top", "Top"]].forEach(function (o) {
    add(sortSelect, el("option", null, t(o[1]), { value: o[0] }));
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    loadThread(false);
  });
  var sortBar = add(el("div", "mcw-sort"), el("label", null, t("Sort by "), { for: sortId }),
    sortSelect);
  var thread = el("ol", "mcw-list mcw-thread");
  var moreButton = el("button", "mcw-button mcw-more", t("Load more"), { type: "button",
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
  var cancelReply = el("button", "mcw-link", t("Cancel reply"), { type: "button" });
  cancelReply.addEventListener("click", stopReply);
  var post = el("button", "mcw-button mcw-post", t("Post comment"), { type: "submit" });
  var nudgeText = el("p", null);
  var sendAsIs = el("button", "mcw-link", t("Send as is"), { type: "button" });
  sendAsIs.addEventListener("click", function (event) { submit(event); });
  var nudgeBox = add(el("div", "mcw-nudge", null, { role: "alert", hidden: "" }), nudgeText,
    sendAsIs);
  var notifyField = el("input", null, null, { type: "checkbox" });
  var notifyId = id("notify");
  notifyField.id = notifyId;
  var notifyBox = add(el("div", "mcw-field mcw-notify"), notifyField,
    el("label", null, " " + t("Email me when someone replies"), { for: notifyId }));
  var signedIn = el("p", "mcw-signed-in", null, { hidden: "" });
  var anonymousFields = add(el("div", "mcw-anonymous"), field("Name", nameField),
    field("Email (optional, never shown)", emailField));
  add(form, el("h3", null, t("Leave your comment")), replyNote, signedIn, anonymousFields,
    field("Comment", bodyField, remaining), notifyBox, nudgeBox, post);
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
      say(t("Your account and email address are deleted."), "ok");
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
  signIn().then(function () { return loadThread(false); }).then(function () { showLinked(5); });
  window.addEventListener("hashchange", function () { showLinked(5); });
  // Keep "3 minutes ago" true while the page stays open.
  setInterval(function () {
    Array.prototype.forEach.call(root.querySelectorAll("time.mcw-time-text"), function (node) {
      node.textContent = ago(node.getAttribute("datetime"));
    });
  }, 60000);
})();
