// Repère: progressive enhancements of the search forms. Every page works
// without this file; with it, the "Où ?" field suggests communes, "Autour de
// moi" uses the browser's position, and filters update the results in place.
(function () {
  'use strict';

  var POSITION_LABEL = 'Autour de ma position'; // as the server fills the field

  function departementOf(c) {
    var d = c.departement || c.codeDepartement || '';
    return typeof d === 'object' ? d.code || '' : d;
  }

  // The "Où ?" field as an ARIA 1.2 combobox with a list of communes.
  function combobox(group) {
    if (group.dataset.ready) return;
    group.dataset.ready = '1';
    var input = group.querySelector('input[name="commune"]');
    var code = group.querySelector('input[name="code_commune"]');
    var lat = group.querySelector('input[name="lat"]');
    var lon = group.querySelector('input[name="lon"]');
    var list = document.createElement('ul');
    var status = document.createElement('p');
    var items = [];
    var active = -1;
    var timer = 0;
    var seq = 0;

    list.id = input.id + '-suggestions';
    list.className = 'combobox__list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Communes proposées');
    list.hidden = true;
    status.className = 'fr-sr-only';
    status.setAttribute('role', 'status');
    input.insertAdjacentElement('afterend', list);
    list.insertAdjacentElement('afterend', status);
    group.classList.add('combobox');
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

    function choose(i) {
      var c = items[i];
      input.value = c.nom + ' (' + departementOf(c) + ')';
      code.value = c.code;
      lat.value = '';
      lon.value = '';
      close();
      status.textContent = 'Commune choisie : ' + c.nom + '.';
    }

    function render(communes) {
      items = communes.slice(0, 8);
      list.replaceChildren();
      items.forEach(function (c, i) {
        var li = document.createElement('li');
        var cp = (c.codesPostaux || [])[0];
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.textContent = c.nom + (cp ? ' – ' + cp : '') + ' (' + departementOf(c) + ')';
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { choose(i); });
        list.appendChild(li);
      });
      if (items.length === 0) {
        close();
        status.textContent = 'Aucune commune ne correspond.';
        return;
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      active = -1;
      status.textContent = items.length + (items.length > 1 ? ' communes proposées' : ' commune proposée') +
        ', flèches haut et bas pour parcourir, Entrée pour choisir.';
    }

    function suggest() {
      var q = input.value.trim();
      var mine = ++seq;
      if (q.length < 2) { close(); return; }
      fetch('/api/v1/communes?q=' + encodeURIComponent(q) + '&limit=8', { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (mine === seq) render(Array.isArray(data) ? data : []); })
        .catch(function () { close(); });
    }

    input.addEventListener('input', function () {
      code.value = '';
      lat.value = '';
      lon.value = '';
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener('keydown', function (e) {
      var open = !list.hidden && items.length > 0;
      switch (e.key) {
        case 'ArrowDown':
          if (!open && items.length > 0) { list.hidden = false; input.setAttribute('aria-expanded', 'true'); }
          if (items.length > 0) { highlight((active + 1) % items.length); e.preventDefault(); }
          break;
        case 'ArrowUp':
          if (open) { highlight(active <= 0 ? items.length - 1 : active - 1); e.preventDefault(); }
          break;
        case 'Enter':
          if (open && active >= 0) { choose(active); e.preventDefault(); }
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
  }

  // "Autour de moi": only shown when the browser can give a position.
  function geolocate(group) {
    var button = group.querySelector('[data-geolocate]');
    var status = group.querySelector('[data-geolocate-status]');
    if (!button || !('geolocation' in navigator) || button.dataset.ready) return;
    button.dataset.ready = '1';
    button.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = 'Recherche de votre position…';
      navigator.geolocation.getCurrentPosition(function (pos) {
        group.querySelector('input[name="lat"]').value = pos.coords.latitude.toFixed(4);
        group.querySelector('input[name="lon"]').value = pos.coords.longitude.toFixed(4);
        group.querySelector('input[name="code_commune"]').value = '';
        group.querySelector('input[name="commune"]').value = POSITION_LABEL;
        status.textContent = 'Position trouvée. Lancez la recherche.';
      }, function () {
        status.textContent = 'Votre position n’est pas disponible : indiquez une commune.';
      }, { timeout: 10000, maximumAge: 600000 });
    });
  }

  // queryOf is the query string of a search form without its empty fields,
  // and without the typed text once a commune or a position is chosen.
  function queryOf(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var placed = data.get('code_commune') || (data.get('lat') && data.get('lon'));
    var params = new URLSearchParams();
    data.forEach(function (v, k) {
      if (v === '' || (k === 'commune' && placed)) return;
      params.append(k, v);
    });
    return params.toString();
  }

  // Live results: a ticked filter, a sort or a radius reloads the results
  // in place, keeps the focus where it was and announces the new count.
  function liveSearch(form) {
    if (form.dataset.ready) return;
    form.dataset.ready = '1';
    form.addEventListener('change', function (e) {
      var t = e.target;
      if (!t.matches('input[type="checkbox"], select')) return;
      if (t.type === 'checkbox' && !t.checked) {
        var children = t.closest('.fr-fieldset__element').querySelectorAll('.facet__children input');
        Array.prototype.forEach.call(children, function (c) { c.checked = false; });
      }
      load(form.action + '?' + queryOf(form), t.id, true);
    });
  }

  var loading = 0;
  function load(url, focusId, push) {
    var mine = ++loading;
    var current = document.getElementById('recherche');
    if (current) current.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { Accept: 'text/html' } }).then(function (r) {
      return r.text().then(function (html) { return { r: r, html: html }; });
    }).then(function (res) {
      if (mine !== loading) return;
      var doc = new DOMParser().parseFromString(res.html, 'text/html');
      var fresh = doc.getElementById('recherche');
      current = document.getElementById('recherche');
      if (!res.r.ok || !fresh || !current) { window.location.assign(url); return; }
      current.replaceWith(fresh);
      document.title = doc.title;
      if (push) history.pushState({ live: true }, '', res.r.url);
      enhance(fresh);
      var el = focusId && document.getElementById(focusId);
      if (el) el.focus();
      var heading = fresh.querySelector('#resultats-titre');
      var status = fresh.querySelector('#resultats-statut');
      if (heading && status) status.textContent = heading.textContent;
      document.dispatchEvent(new CustomEvent('repere:update', { detail: fresh }));
    }).catch(function () { window.location.assign(url); });
  }

  window.addEventListener('popstate', function () {
    if (document.getElementById('recherche') && location.pathname === '/recherche') load(location.href, null, false);
  });

  // all is querySelectorAll including root itself.
  function all(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function enhance(root) {
    all(root, '[data-combobox]').forEach(function (g) { combobox(g); geolocate(g); });
    all(root, 'form[data-live-search]').forEach(liveSearch);
    all(root, 'form[role="search"]').forEach(function (form) {
      if (form.dataset.submitReady) return;
      form.dataset.submitReady = '1';
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        window.location.assign(form.action + '?' + queryOf(form, e.submitter));
      });
    });
  }

  enhance(document);
})();
