// File inputs with a Chinese button (templates/jixiao/_file_input.html): show the chosen file's name (or
// how many were chosen, and the first few names). Also for files chosen before this script ran (it is deferred) or
// kept by the browser when the page is shown again.
(function () {
  if (window.jixiaoFileInput) return; // included once per file input; listen once
  window.jixiaoFileInput = true;
  var SELECTOR = ".file-input input[type=file]";
  function show(input) {
    var shown = input.parentNode.querySelector(".file-name");
    if (!shown) return;
    var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    if (!names.length) shown.textContent = "未选择文件";
    else if (names.length <= 3) shown.textContent = names.join("、");
    else shown.textContent = "已选择 " + names.length + " 个文件：" + names.slice(0, 3).join("、") + " 等";
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches(SELECTOR)) show(input);
  });
  function showAll() {
    Array.prototype.forEach.call(document.querySelectorAll(SELECTOR), function (input) {
      if (input.files && input.files.length) show(input);
    });
  }
  showAll();
  window.addEventListener("pageshow", showAll);
})();
