// File inputs with a Chinese button (templates/jixiao/_file_input.html): show the chosen file's name.
(function () {
  if (window.jixiaoFileInput) return; // included once per file input; listen once
  window.jixiaoFileInput = true;
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches(".file-input input[type=file]")) return;
    var shown = input.parentNode.querySelector(".file-name");
    if (!shown) return;
    var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    shown.textContent = names.length ? names.join("、") : "未选择文件";
  });
})();
