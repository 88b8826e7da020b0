/*
 * Nida embed: <div data-nida-campaign="SLUG" data-lang="ar"></div>
 * <script src="https://NIDA/static/embed.js" async></script>
 * Puts the campaign's count and sign form in an iframe served by Nida; the frame sizes itself.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var frames = [];
  var mount = function (el) {
    if (el.getAttribute('data-nida-mounted')) return;
    var slug = el.getAttribute('data-nida-campaign');
    if (!slug) return;
    var lang = el.getAttribute('data-lang') === 'en' ? 'en' : 'ar';
    var frame = document.createElement('iframe');
    frame.src = origin + '/' + lang + '/embed/c/' + encodeURIComponent(slug);
    frame.title = el.getAttribute('data-title') || (lang === 'ar' ? 'وقّع الحملة' : 'Sign the campaign');
    frame.setAttribute('loading', 'lazy');
    frame.style.cssText = 'display:block;width:100%;max-width:36rem;height:36rem;border:1px solid #ddd;border-radius:8px';
    el.setAttribute('data-nida-mounted', '1');
    el.appendChild(frame);
    frames.push(frame);
  };
  var all = document.querySelectorAll('[data-nida-campaign]');
  for (var i = 0; i < all.length; i++) mount(all[i]);
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.nida !== 'embed-height') return;
    var height = Number(event.data.height);
    if (!(height > 0 && height < 10000)) return;
    for (var j = 0; j < frames.length; j++) {
      if (frames[j].contentWindow === event.source) frames[j].style.height = Math.ceil(height) + 2 + 'px';
    }
  });
})();
