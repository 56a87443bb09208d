"""`make lab-zh`: the Chinese edition in a JupyterLab whose interface is Chinese.

Its pieces, without starting JupyterLab: the zh-CN language pack is installed and
JupyterLab's translation API lists it; the settings default the target writes is valid
for JupyterLab's translation plugin and is read by jupyterlab_server only when the
target's JUPYTER_CONFIG_PATH is set (`make lab` stays English); the target opens a
Chinese notebook with TCPLAB_LANG=zh.  The browser test (slow) opens such a JupyterLab
and reads the Chinese menu bar.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = "@jupyterlab/translation-extension:plugin"
OVERRIDES = Path("etc/tcplab-zh/labconfig/default_setting_overrides.json")


def make(*args: str, cwd: Path = ROOT) -> str:
    proc = subprocess.run(["make", "-s", "-C", str(cwd), *args], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def fake_venv(tmp_path):
    """A VENV for the Makefile whose install stamp is up to date: nothing is installed."""
    venv = tmp_path / "venv"
    venv.mkdir()
    (venv / ".tcplab-installed").touch()
    return venv


def overrides_seen(config_path: str | None) -> dict:
    """The settings defaults jupyterlab_server gives the translation plugin, read in a
    fresh Python (jupyter_config_path() is read from the environment)."""
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_CONFIG_PATH"}
    if config_path:
        env["JUPYTER_CONFIG_PATH"] = config_path
    code = ("import json, tempfile; from jupyterlab_server.settings_utils import _get_overrides;"
            f"print(json.dumps(_get_overrides(tempfile.mkdtemp())[0].get({PLUGIN!r}, {{}})))")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)


def test_the_zh_cn_language_pack_is_installed_and_listed_by_the_translation_api():
    import jupyterlab_language_pack_zh_CN as pack
    from jupyterlab_server.translation_utils import get_language_pack, get_language_packs
    assert (Path(pack.__file__).parent / "locale" / "zh_CN").is_dir()
    packs, message = get_language_packs("en")
    assert "zh_CN" in packs and not message, message
    assert packs["zh_CN"]["nativeName"].startswith("中文")
    data, _ = get_language_pack("zh_CN")
    # the File menu's label (context "menu"), which the browser test reads
    assert data["jupyterlab"]["menu\x04File"] == ["文件"]


def test_lab_zh_writes_a_valid_setting_that_only_its_jupyterlab_reads(fake_venv):
    import jsonschema
    import jupyterlab
    out = make(f"VENV={fake_venv}", str(fake_venv / OVERRIDES))
    written = json.loads((fake_venv / OVERRIDES).read_text())
    assert written == {PLUGIN: {"locale": "zh_CN"}}, out
    # valid against the plugin's own schema, as JupyterLab validates settings
    schemas = Path(jupyterlab.__file__).parent / "schemas"
    if not schemas.is_dir():
        schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    schema = json.loads((schemas / "@jupyterlab" / "translation-extension" /
                         "plugin.json").read_text())
    jsonschema.validate(written[PLUGIN], schema)
    assert "locale" in schema["properties"]
    # jupyterlab_server reads it from the target's config path, and not without it
    assert overrides_seen(str(fake_venv / "etc" / "tcplab-zh")) == {"locale": "zh_CN"}
    assert overrides_seen(None).get("locale", "en") != "zh_CN"


def test_lab_zh_opens_a_chinese_notebook_with_tcplab_in_chinese(fake_venv):
    (fake_venv / OVERRIDES).parent.mkdir(parents=True)
    (fake_venv / OVERRIDES).write_text("{}")
    (fake_venv / OVERRIDES).touch()
    command = make("-n", f"VENV={fake_venv}", "lab-zh")
    assert "TCPLAB_LANG=zh" in command and f"{fake_venv}/bin/jupyter lab" in command
    assert f'JUPYTER_CONFIG_PATH="{fake_venv}/etc/tcplab-zh' in command
    opened = command.split("jupyter lab", 1)[1].split()[-1]
    assert opened.startswith("notebooks/zh/") and (ROOT / opened).exists(), opened
    start = ROOT / "notebooks" / "zh" / "00-start-here.ipynb"
    assert opened == ("notebooks/zh/00-start-here.ipynb" if start.exists()
                      else "notebooks/zh/01-three-way-handshake.ipynb")
    # `make lab` is untouched: English lesson 00, no language set
    english = make("-n", f"VENV={fake_venv}", "lab")
    assert "notebooks/00-start-here.ipynb" in english
    assert "TCPLAB_LANG" not in english and "JUPYTER_CONFIG_PATH" not in english


def menu_bar(config_path: str | None, monkeypatch) -> tuple[list[str], str]:
    """The top menus of a JupyterLab started (tools/browser_harness.py) with the
    environment `make lab-zh` gives it (or `make lab`'s, config_path None), and what its
    kernel prints as tcplab's language."""
    from playwright.sync_api import sync_playwright
    sys.path.insert(0, str(ROOT / "tools"))
    from browser_harness import jupyter_server, lab_notebook, open_notebook
    if config_path:
        monkeypatch.setenv("JUPYTER_CONFIG_PATH", config_path)
        monkeypatch.setenv("TCPLAB_LANG", "zh")
    else:
        monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
        monkeypatch.delenv("TCPLAB_LANG", raising=False)
    cell = ["import tcplab.text\n", "print('language:', tcplab.text.language())"]
    with jupyter_server({"lab.ipynb": lab_notebook(cell)}) as (base, token):
        with sync_playwright() as p:
            browser, page = open_notebook(p, base, token, "/lab/tree/lab.ipynb", 1200, 800)
            menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_inner_texts()
            printed = run_the_cell(page)
            browser.close()
    return menus, printed


def run_the_cell(page) -> str:
    """Run the notebook's one cell (Shift+Enter, in any interface language) and return
    what it prints.  The kernel may still be connecting when the page says idle, and a
    busy 2-core machine is slow to start one: up to four tries."""
    from browser_harness import accept_kernel_dialog
    for attempt in range(4):
        accept_kernel_dialog(page)
        page.locator(".jp-Cell .cm-content").first.click()
        page.keyboard.press("Shift+Enter")
        try:
            output = page.wait_for_selector(".jp-OutputArea-output", timeout=30_000)
            return output.inner_text().strip()
        except Exception:
            if attempt == 3:
                raise
    raise AssertionError("unreachable")


@pytest.mark.slow
def test_lab_zh_shows_jupyterlab_in_chinese_and_lab_in_english(fake_venv, monkeypatch):
    make(f"VENV={fake_venv}", str(fake_venv / OVERRIDES))
    chinese, printed = menu_bar(str(fake_venv / "etc" / "tcplab-zh"), monkeypatch)
    assert chinese[:3] == ["文件", "编辑", "查看"], chinese
    assert printed == "language: zh"                   # its kernels have TCPLAB_LANG=zh
    english, printed = menu_bar(None, monkeypatch)
    assert english[:3] == ["File", "Edit", "View"], english
    assert printed == "language: en"


def test_readme_has_a_chinese_quick_start_near_the_top():
    import re
    readme = (ROOT / "README.md").read_text()
    sections = readme.split("\n## ")
    assert sections[1].startswith("快速开始\n"), "快速开始 is the README's first section"
    assert "[快速开始](#快速开始)" in sections[0], "the top points Chinese readers to it"
    text = sections[1]
    ways = [line for line in text.splitlines()
            if re.match(r"- \*\*(在自己的电脑上|在 Binder 上|在浏览器中)\*\*", line)]
    assert len(ways) == 3, ways
    assert "`make lab-zh`" in ways[0] and "make site" in ways[2]
    binder = re.search(r"https://mybinder\.org/v2/gh/\S+?urlpath=lab/tree/(\S+\.ipynb)", ways[1])
    assert binder and binder[1].startswith("notebooks/zh/") and (ROOT / binder[1]).exists()
    for path in re.findall(r"`((?:notebooks|course)/[^`]+)`", text):
        assert (ROOT / path.rstrip("/")).exists(), path
    assert "make lab-zh" in (ROOT / "Makefile").read_text()
