/* portevoix embed: tells the partner page the height the player needs, the way WordPress's embeds do
   (postMessage {message: "height", value, secret}, the secret read from "#?secret=" when the host gives one),
   and opens the chapter list by itself when the frame has room for it. */
(function () {
  "use strict";
  var main = document.querySelector("main"), list = document.querySelector(".chapter-list");
  var secret = (/[#&?]secret=([\w-]+)/.exec(location.hash) || [])[1], sent = 0;

  function needed() { /* everything shown without scrolling: the chapter list at its full height */
    var first = main.firstElementChild.getBoundingClientRect(), last = main.lastElementChild.getBoundingClientRect();
    var style = getComputedStyle(document.body);
    var extra = list ? list.scrollHeight - list.clientHeight : 0;
    return Math.ceil(last.bottom - first.top + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom) + extra);
  }
  function tell() {
    var height = needed();
    if (height === sent || window.parent === window) return;
    sent = height;
    window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }

  if (list) {
    list.open = true;
    if (needed() > window.innerHeight) list.open = false;
    list.addEventListener("toggle", tell);
  }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(tell);
    Array.prototype.forEach.call(main.children, function (child) { observer.observe(child); });
  }
  window.addEventListener("resize", tell);
  tell();
})();
