// Quick exit: one click or the Esc key leaves for a neutral site and replaces this page in
// the history, so the Back button does not bring it back. Without JavaScript the control
// is still a plain link to the same site.
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
