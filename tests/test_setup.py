"""The set-up script installs what is missing from the system, and nothing when all is there."""

import os
import shutil
import stat
import subprocess

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "ensure-system.sh"


def _fake_bin(tmp_path, *, chromium: bool, cjk: bool, pdftotext: bool, postgres: bool = True):
    """A PATH holding only stubs: apt-get records what it is asked to install."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"

    def stub(name, body):
        p = bin_dir / name
        p.write_text("#!/bin/sh\n" + body + "\n")
        p.chmod(p.stat().st_mode | stat.S_IEXEC)

    for tool in ("grep", "id", "cat", "ls"):
        os.symlink(shutil.which(tool), bin_dir / tool)
    stub("apt-get", f'echo "$@" >> {log}')
    stub("fc-list", 'echo "/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC"' if cjk else "true")
    stub("fc-cache", "true")
    if chromium:
        stub("chromium", "true")
    if pdftotext:
        stub("pdftotext", "true")
    pg_lib = tmp_path / "postgresql"  # stands in for /usr/lib/postgresql
    (pg_lib / "15" / "bin").mkdir(parents=True)
    if postgres:
        (pg_lib / "15" / "bin" / "initdb").write_text("#!/bin/sh\n")
    return bin_dir, log


def run_script(bin_dir):
    env = {"PATH": str(bin_dir), "POSTGRES_LIB": str(bin_dir.parent / "postgresql")}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_installs_only_what_is_missing(tmp_path):
    bin_dir, log = _fake_bin(tmp_path, chromium=False, cjk=False, pdftotext=True)
    r = run_script(bin_dir)
    assert r.returncode == 0, r.stderr
    calls = log.read_text()
    assert "update" in calls and "install" in calls
    assert "chromium" in calls and "fonts-noto-cjk" in calls and "poppler-utils" not in calls
    assert "postgresql" not in calls


def test_installs_postgresql_when_initdb_is_missing(tmp_path):
    bin_dir, log = _fake_bin(tmp_path, chromium=True, cjk=True, pdftotext=True, postgres=False)
    r = run_script(bin_dir)
    assert r.returncode == 0, r.stderr
    assert "install" in log.read_text() and "postgresql" in log.read_text()
    assert "chromium" not in log.read_text()


def test_nothing_to_do_when_all_present(tmp_path):
    bin_dir, log = _fake_bin(tmp_path, chromium=True, cjk=True, pdftotext=True)
    r = run_script(bin_dir)
    assert r.returncode == 0 and not log.exists() and r.stdout == ""


def test_without_root_or_sudo_it_says_what_to_run(tmp_path):
    bin_dir, log = _fake_bin(tmp_path, chromium=False, cjk=True, pdftotext=True)
    (bin_dir / "id").unlink()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    r = run_script(bin_dir)
    assert r.returncode == 1 and "apt-get install -y chromium" in r.stderr and not log.exists()
