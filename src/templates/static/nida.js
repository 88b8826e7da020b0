/* Nida pages: the live count, focus on form errors, and an embed's height. No page needs it to work. */
(function () {
  'use strict';
  var body = document.body;
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  var slug = body.getAttribute('data-slug');
  if (slug && window.fetch) {
    var every = Math.max(1000, Number(body.getAttribute('data-poll-ms')) || 5000);
    var numberLocale = body.getAttribute('data-number-locale') || undefined;
    var format = new Intl.NumberFormat(numberLocale);
    var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(numberLocale) : null;
    var url = '/api/v1/campaigns/' + encodeURIComponent(slug) + '/count';
    // The count in words, in the form its number takes («توقيعان», «١١ توقيعاً»): the forms come with the page.
    var words = function (element, n) {
      var forms = JSON.parse(element.getAttribute('data-count-forms') || 'null');
      if (!forms || !rules) return format.format(n);
      var form = forms[rules.select(n)] || forms.other || '{n}';
      return form.replace(/\{n\}/g, format.format(n));
    };
    var show = function (n) {
      var counts = document.querySelectorAll('[data-count]');
      var text = null;
      for (var i = 0; i < counts.length; i++) {
        if (counts[i].getAttribute('data-count') === String(n)) continue;
        counts[i].setAttribute('data-count', String(n));
        text = words(counts[i], n);
        counts[i].textContent = text;
      }
      if (text === null) return;
      var bars = document.querySelectorAll('[data-progress]');
      for (var j = 0; j < bars.length; j++) {
        var goal = Number(bars[j].getAttribute('data-goal'));
        if (!goal) continue;
        var label = bars[j].parentNode.querySelector('[data-count-label]');
        bars[j].setAttribute('aria-valuenow', String(n));
        bars[j].setAttribute('aria-valuetext', text + (label ? label.textContent : ''));
        var fill = bars[j].querySelector('.fill');
        if (fill) fill.style.inlineSize = Math.min(100, (n / goal) * 100).toFixed(1) + '%';
      }
    };
    var poll = function () {
      if (document.hidden) return setTimeout(poll, every);
      fetch(url, { headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) { if (d && typeof d.verified === 'number') show(d.verified); })
        .catch(function () { /* offline: try again later */ })
        .then(function () { setTimeout(poll, every); });
    };
    setTimeout(poll, every);
  }

  // In an embed, tell the partner page how tall the frame should be (a number, nothing else).
  if (window.parent !== window && body.className.indexOf('embed') >= 0) {
    var last = 0;
    var report = function () {
      var h = document.documentElement.scrollHeight;
      if (h === last) return;
      last = h;
      window.parent.postMessage({ nida: 'embed-height', height: h }, '*');
    };
    report();
    if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  }
})();
