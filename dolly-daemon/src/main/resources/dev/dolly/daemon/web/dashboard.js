// Dolly's dashboard: copy buttons, and live regions (elements with an id and data-live) that follow the server
// without a reload: the page asks for itself again every two seconds while it is visible and puts in what changed.
(function () {
    'use strict';

    document.addEventListener('click', function (event) {
        var button = event.target.closest('button[data-copy]');
        if (!button) {
            return;
        }
        var source = document.getElementById(button.getAttribute('data-copy'));
        if (!source || !navigator.clipboard) {
            return;
        }
        navigator.clipboard.writeText(source.textContent).then(function () {
            var label = button.textContent;
            button.textContent = 'Copied';
            setTimeout(function () { button.textContent = label; }, 1500);
        });
    });

    if (document.querySelector('[data-live][id]') === null) {
        return;
    }
    var interval = 2000;

    function refresh() {
        if (document.hidden) {
            setTimeout(refresh, interval);
            return;
        }
        fetch(window.location.href, {credentials: 'same-origin', headers: {'Accept': 'text/html'}, cache: 'no-store'})
            .then(function (response) {
                if (response.redirected || !response.ok) {
                    // signed out, expired, or gone: the next navigation shows why
                    throw new Error('stopped: ' + response.status);
                }
                return response.text();
            })
            .then(function (text) {
                var fresh = new DOMParser().parseFromString(text, 'text/html');
                document.querySelectorAll('[data-live][id]').forEach(function (region) {
                    var replacement = fresh.getElementById(region.id);
                    if (replacement && replacement.innerHTML !== region.innerHTML && !region.contains(document.activeElement)) {
                        region.innerHTML = replacement.innerHTML;
                    }
                });
                setTimeout(refresh, interval);
            })
            .catch(function () {
                setTimeout(refresh, interval * 5);
            });
    }

    setTimeout(refresh, interval);
}());
