/* portevoix embed: tells the partner page the height the player needs, the way WordPress's embeds do
   (postMessage {message: "height", value, secret}, the secret read from "#?secret=" when the host gives one);
   opens the chapter list by itself when the frame has room for it; in a frame left too small, shades the
   bottom while there is more below. */
(function () {
  "use strict";
  var list = document.querySelector(".chapter-list"), root = document.documentElement;
  var secret = (/[#&?]secret=([\w-]+)/.exec(location.hash) || [])[1], sent = 0;

  function needed() { return Math.ceil(document.body.getBoundingClientRect().height); }
  function tell() {
    var height = needed();
    document.body.classList.toggle("more-below", window.scrollY + window.innerHeight < root.scrollHeight - 4);
    if (height === sent || window.parent === window) return;
    sent = height;
    window.parent.postMessage({ message: "height", value: height, secret: secret }, "*");
  }

  if (list) {
    list.open = true;
    if (needed() > window.innerHeight) list.open = false;
    list.addEventListener("toggle", tell);
  }
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
  window.addEventListener("resize", tell);
  window.addEventListener("scroll", tell, { passive: true });
  tell();
})();
