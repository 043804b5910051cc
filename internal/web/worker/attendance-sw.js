// Birge's service worker (decision 0031): it keeps today's training sessions and their
// registers, fetched while online, so that a trainer with no signal can still open and
// mark them. Marks themselves wait in the page's localStorage (static/attendance.js); the
// worker never holds them. It answers only these pages and the static files, and only
// from its cache when the network fails; signing out empties the cache.
"use strict";
var CACHE = "birge-attendance-v1";

function kept(url) {
  return url.pathname === "/training-sessions/today" ||
    /^\/training-sessions\/\d+\/attendance$/.test(url.pathname) ||
    url.pathname.indexOf("/static/") === 0;
}

// The key of a page is its path (its query is a flash, a search); of a static file its
// whole address, version and all.
function keyOf(url) {
  return url.pathname.indexOf("/static/") === 0 ? url.pathname + url.search : url.pathname;
}

function keep(url, res) {
  // A redirect (to sign in) or an error page is never kept in place of the page.
  if (!res.ok || res.redirected || res.type !== "basic") return Promise.resolve(res);
  var copy = res.clone();
  return caches.open(CACHE).then(function (c) { return c.put(keyOf(url), copy); }).then(function () { return res; });
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (e) {
  var req = e.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && (url.pathname === "/logout" || url.pathname === "/logout-everywhere")) {
    e.waitUntil(caches.delete(CACHE));
    return;
  }
  if (req.method !== "GET" || !kept(url)) return;
  e.respondWith(fetch(req).then(function (res) { return keep(url, res); }, function () {
    return caches.open(CACHE).then(function (c) { return c.match(keyOf(url)); }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});

// Today's page sends the addresses to keep: its own, each register, the static files. A
// new list replaces the old, so that yesterday's registers do not stay on the phone.
self.addEventListener("message", function (e) {
  if (!e.data || !Array.isArray(e.data.keep)) return;
  var urls = e.data.keep.map(function (u) { return new URL(u, self.location.origin); }).filter(function (u) {
    return u.origin === self.location.origin && kept(u);
  });
  e.waitUntil(caches.delete(CACHE).then(function () {
    return Promise.all(urls.map(function (u) {
      return fetch(u.href, {credentials: "same-origin"}).then(function (res) { return keep(u, res); });
    }));
  }).then(function () {
    if (e.source) e.source.postMessage({kept: urls.length});
  }, function () {
    if (e.source) e.source.postMessage({kept: -1});
  }));
});
