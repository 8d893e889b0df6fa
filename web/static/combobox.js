// Repère: the ARIA 1.2 combobox of the site's suggestion fields (the "Où ?"
// field, the communes and zones of the partner editor), shared by site.js
// and espace.js.
(function () {
  'use strict';

  function debounce(fn, ms) {
    var t = 0;
    return function () {
      var args = arguments;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  // An ARIA 1.2 combobox: suggest(q) resolves to items, label(item) names
  // them, choose(item) applies the choice.
  window.repereDebounce = debounce;

  window.repereCombobox = function (input, what, suggest, label, choose) {
    var list = document.createElement('ul');
    var status = document.createElement('p');
    var items = [];
    var active = -1;
    var seq = 0;
    list.id = input.id + '-suggestions';
    list.className = 'combobox__list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', what);
    list.hidden = true;
    status.className = 'fr-sr-only';
    status.setAttribute('role', 'status');
    input.insertAdjacentElement('afterend', list);
    list.insertAdjacentElement('afterend', status);
    input.parentElement.classList.add('combobox');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute('aria-selected', j === i ? 'true' : 'false');
      });
      if (i >= 0) {
        input.setAttribute('aria-activedescendant', list.children[i].id);
        list.children[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }
    function pick(i) {
      var it = items[i];
      close();
      status.textContent = choose(it) || '';
    }
    function render(found) {
      items = found.slice(0, 10);
      list.replaceChildren();
      items.forEach(function (it, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = label(it);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { pick(i); });
        list.appendChild(li);
      });
      if (items.length === 0) {
        close();
        status.textContent = 'Aucune suggestion.';
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      active = -1;
      status.textContent = items.length + (items.length > 1 ? ' suggestions' : ' suggestion') +
        ', flèches haut et bas pour parcourir, Entrée pour choisir.';
    }
    var run = debounce(function () {
      var q = input.value.trim();
      var mine = ++seq;
      if (q.length < 2) { close(); return; }
      suggest(q).then(function (found) { if (mine === seq) render(found); }).catch(close);
    }, 150);
    input.addEventListener('input', run);
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden && items.length > 0;
      switch (e.key) {
        case 'ArrowDown':
          if (items.length > 0) {
            list.hidden = false;
            input.setAttribute('aria-expanded', 'true');
            highlight((active + 1) % items.length);
            e.preventDefault();
          }
          break;
        case 'ArrowUp':
          if (open) { highlight(active <= 0 ? items.length - 1 : active - 1); e.preventDefault(); }
          break;
        case 'Enter':
          if (open && active >= 0) { pick(active); e.preventDefault(); }
          break;
        case 'Escape':
          if (open) { close(); e.preventDefault(); }
          break;
        case 'Tab':
          close();
          break;
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
  };
})();
