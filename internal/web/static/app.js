// Quick exit: one click or the Esc key leaves for a neutral site and replaces this page in
// the history. So that Back does not bring back any page of Birge, the public pages do not
// add to the history either: a link replaces the page it was followed from, and a change of
// language is sent in the background, its answer replacing the page. The whole visit is
// then one entry, the one the exit replaces (a refused sign-in, staff's own form, still
// adds one). Without JavaScript the control is still a plain link to the same site.
(function () {
  var link = document.getElementById("quick-exit");
  if (!link) return;
  function leave(e) {
    if (e) e.preventDefault();
    document.body.innerHTML = "";
    window.location.replace(link.getAttribute("data-exit"));
  }
  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") leave(e);
  });

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href]");
    if (!a || a === link || a.origin !== location.origin || a.target || e.defaultPrevented ||
        e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    if (a.pathname === location.pathname && a.search === location.search && a.hash) return; // the skip link
    e.preventDefault();
    location.replace(a.href);
  });
  // The language switcher's answer is always a redirect to the page it was on.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList.contains("switcher") || !window.fetch) return;
    e.preventDefault();
    fetch(form.action, {method: "POST", body: new URLSearchParams(new FormData(form, e.submitter))})
      .then(function (res) { if (res.ok) location.replace(res.url); else form.submit(); })
      .catch(function () { form.submit(); });
  });
})();

// The staff header's menu: on a phone the navigation, account and languages fold behind one
// button (the stylesheet decides when), so the header takes one line instead of a third of
// the screen.
(function () {
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu");
  if (!button || !menu) return;
  button.closest("header").classList.add("collapsible");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
