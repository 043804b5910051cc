// Attendance on a phone, also offline (decision 0031). Without this script the register
// is a plain form. With it, each tap is kept at once in localStorage with the time it was
// made, and the marks kept are sent (PUT, JSON) whenever the phone is online: on each
// tap, on "save", when the network comes back and when the page opens. The server keeps
// the newest mark per woman, so sending again is harmless; its answer is shown, with the
// marks it did not take because someone marked her later.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/attendance-sw.js").catch(function () {});
  }

  // Today's page: ask the worker to keep it, each register and the static files.
  var today = document.getElementById("today-sessions");
  var ready = document.getElementById("offline-ready");
  if (today && navigator.serviceWorker) {
    var urls = [location.pathname];
    today.querySelectorAll("a[data-register]").forEach(function (a) { urls.push(a.getAttribute("href")); });
    document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
      urls.push(el.getAttribute("href") || el.getAttribute("src"));
    });
    navigator.serviceWorker.addEventListener("message", function (e) {
      if (ready && e.data && e.data.kept > 0) ready.hidden = false;
    });
    navigator.serviceWorker.ready.then(function (reg) { reg.active.postMessage({keep: urls}); });
  }

  var form = document.getElementById("register");
  if (!form) return;
  form.classList.add("js");
  var msg = form.dataset;
  var key = "birge.marks." + msg.user + "." + msg.session;
  var outbox = document.getElementById("outbox");
  var answer = document.getElementById("answer");

  function load() {
    try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function save(q) {
    if (Object.keys(q).length) localStorage.setItem(key, JSON.stringify(q)); else localStorage.removeItem(key);
  }
  function row(pid) { return document.getElementById("p-" + pid); }
  function markOf(li) {
    var r = li.querySelector("input[type=radio]:checked");
    return r ? r.value : "";
  }
  function show(li, mark, reason) {
    li.querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = r.value === mark; });
    if (reason !== undefined) li.querySelector("input[type=text]").value = reason;
    li.classList.toggle("needs-reason", mark === "absent" || mark === "late");
  }
  function fill(text, args) {
    return text.replace(/\{(\w+)\}/g, function (m, name) { return args[name] !== undefined ? args[name] : m; });
  }
  function clock(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function label(mark) { return msg["mark" + mark.charAt(0).toUpperCase() + mark.slice(1)] || mark; }
  function nameOf(pid) {
    var li = row(pid);
    return li ? li.querySelector("legend").textContent : String(pid);
  }
  function waiting() {
    var n = Object.keys(load()).length;
    outbox.hidden = n === 0;
    outbox.textContent = n ? fill(msg.waiting, {n: n}) : "";
  }
  function say(lines) {
    answer.hidden = lines.length === 0;
    answer.textContent = "";
    lines.forEach(function (text) {
      var p = document.createElement("p");
      p.textContent = text;
      answer.appendChild(p);
    });
  }

  // A tap is kept at once, with its time: the newest mark wins on the server.
  function keep(li) {
    var mark = markOf(li);
    if (!mark) return;
    var q = load();
    q[li.dataset.person] = {person_id: Number(li.dataset.person), mark: mark,
      reason: li.querySelector("input[type=text]").value, marked_at: new Date().toISOString()};
    save(q);
    show(li, mark);
    waiting();
  }

  var sending = false, again = false;
  function send() {
    var q = load();
    var marks = Object.keys(q).map(function (pid) { return q[pid]; });
    waiting();
    if (sending) again = true;
    if (!marks.length || sending) return;
    sending = true;
    fetch(form.getAttribute("action"), {method: "PUT", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"}, body: JSON.stringify({marks: marks})})
      .then(function (res) {
        if ((res.headers.get("Content-Type") || "").indexOf("json") < 0) {
          say([msg.signin]); // the session ended: the marks wait for her to sign in again
          return;
        }
        return res.json().then(function (body) {
          var q = load();
          function sent(m) {
            if (q[m.person_id] && q[m.person_id].marked_at === m.marked_at) delete q[m.person_id];
          }
          if (res.ok) {
            marks.forEach(sent);
            save(q);
            body.items.forEach(function (line) {
              var li = row(line.person_id);
              if (li && !q[line.person_id]) show(li, line.mark, line.reason);
            });
            var lines = [fill(msg.sent, {n: marks.length})];
            body.conflicts.forEach(function (c) {
              lines.push(fill(msg.conflict, {name: c.person_name, sent: label(c.sent), sent_at: clock(c.sent_at),
                kept: label(c.kept), kept_at: clock(c.kept_at), kept_by: c.kept_by}));
            });
            say(lines);
          } else if (res.status === 422 && body.errors) {
            // The marks refused are dropped, each said with why; the rest go again.
            var lines = [];
            Object.keys(body.errors).forEach(function (k) {
              var m = /^marks\[(\d+)\]/.exec(k);
              if (m && marks[Number(m[1])]) {
                lines.push(nameOf(marks[Number(m[1])].person_id) + ": " + body.errors[k]);
                delete q[marks[Number(m[1])].person_id];
              }
            });
            save(q);
            say(lines.length ? lines : [body.detail || body.title]);
          } else {
            say([body.detail || body.title]);
          }
        });
      })
      .catch(function () { again = false; /* offline: the marks wait */ })
      .then(function () {
        sending = false;
        waiting();
        if (again) {
          again = false;
          send();
        }
      });
  }

  // The page may come from the worker's cache, older than the marks waiting: show them.
  var q = load();
  Object.keys(q).forEach(function (pid) {
    var li = row(pid);
    if (li) show(li, q[pid].mark, q[pid].reason);
  });
  form.querySelectorAll("li[data-person]").forEach(function (li) { show(li, markOf(li)); });

  form.addEventListener("change", function (e) {
    var li = e.target.closest("li[data-person]");
    if (li) {
      keep(li);
      send();
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (e.submitter && e.submitter.name === "everyone") {
      form.querySelectorAll("li[data-person]").forEach(function (li) {
        if (!markOf(li) && !li.querySelector("fieldset").disabled) {
          show(li, "present");
          keep(li);
        }
      });
    }
    send();
  });
  window.addEventListener("online", send);
  send();
})();
