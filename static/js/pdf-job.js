// A PDF job's page asks the server again every few seconds and updates its status in place, so the live region
// announces the change; a page that reloaded itself (meta refresh) would move a screen reader back to the top.
(function () {
  "use strict";
  var job = document.querySelector(".pdf-job[data-refresh-seconds]");
  if (!job) {
    return;
  }
  var seconds = Number(job.getAttribute("data-refresh-seconds")) || 2;

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".pdf-job");
        if (!fresh) {
          return;
        }
        job.querySelector(".pdf-job-state").textContent = fresh.querySelector(".pdf-job-state").textContent;
        job.querySelector(".pdf-job-file").innerHTML = fresh.querySelector(".pdf-job-file").innerHTML;
        if (fresh.hasAttribute("data-refresh-seconds")) {
          window.setTimeout(poll, seconds * 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 4000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
