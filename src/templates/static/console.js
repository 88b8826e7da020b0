// The organiser console's enhancements (every console page works without this script).
'use strict';

// ── Supporters page: a "select all on this page" box for the held signatures' checkboxes ──
(function supportersSelectAll() {
  var form = document.getElementById('held-actions');
  if (!form) return;
  var boxes = form.querySelectorAll('input[type=checkbox][name=ids]');
  var buttons = form.querySelector('.held-buttons');
  if (!boxes.length || !buttons) return;
  var wrap = document.createElement('p');
  wrap.className = 'check select-all';
  var all = document.createElement('input');
  all.type = 'checkbox';
  all.id = 'held-select-all';
  var label = document.createElement('label');
  label.htmlFor = all.id;
  label.textContent = form.getAttribute('data-select-all') || '';
  wrap.appendChild(all);
  wrap.appendChild(label);
  buttons.parentNode.insertBefore(wrap, buttons);
  all.addEventListener('change', function () {
    for (var i = 0; i < boxes.length; i++) boxes[i].checked = all.checked;
  });
})();
