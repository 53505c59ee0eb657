// Progressive enhancement of the evidence upload: the form posts as usual without this script; with it,
// the file is sent by XMLHttpRequest so that a progress bar can show how much has been sent.
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    var bar = document.getElementById(form.getAttribute("data-upload-progress"));
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      bar.hidden = false;
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) { bar.value = Math.round(100 * progress.loaded / progress.total); }
      });
      request.addEventListener("load", function () {
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);  // saved: the step page it redirected to
          return;
        }
        // Refused (the form with its errors): show the answer's main content in place.
        var answer = new DOMParser().parseFromString(request.responseText, "text/html");
        document.getElementById("main").replaceWith(answer.getElementById("main"));
      });
      request.addEventListener("error", function () { form.submit(); });
      request.send(new FormData(form));
    });
  });
})();
