// First script of the report: counts every error (script, resource load, console.error) on <html data-errors>.
window.__reportErrors = [];
(function () {
  function record(message) {
    window.__reportErrors.push(String(message));
    document.documentElement.setAttribute('data-errors', String(window.__reportErrors.length));
    document.documentElement.setAttribute('data-error-messages', window.__reportErrors.join(' | ').slice(0, 2000));
  }
  window.addEventListener('error', function (e) {
    var t = e.target && e.target !== window ? (e.target.src || e.target.href || e.target.tagName) : '';
    record(e.message || ('failed to load ' + t));
  }, true);
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () {
    record(Array.prototype.slice.call(arguments).join(' '));
    original.apply(console, arguments);
  };
  document.documentElement.setAttribute('data-errors', '0');
})();
