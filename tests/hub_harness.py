"""A real JupyterHub on 127.0.0.1 for one test module, and a small client to drive it.

The hub (PyPI) runs from the lecturer's environment, .venv-course (`make course`), with
its proxy, configurable-http-proxy, from npm (tools/hub-proxy.sh, which `make test` runs),
the dummy authenticator and the local-process spawner: every user's single-user server
is a process of this machine's one OS user, with a home folder of its own under the
test's temporary folder.  Everything listens on 127.0.0.1, on free ports.  The test
drives the hub as a service with an API token (no browser): it creates users, starts
their servers, and gets each user a token of their own to act with.

Stopping: the hub is asked to stop (it stops the servers and the proxy it started); then
whatever it had started and is still running is killed, so that no process outlives
the module, even when a test fails.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COURSE_VENV = ROOT / ".venv-course"
LECTURER_CONFIG = ROOT / "course" / "lecturer-jupyter"
PROXY = ROOT / ".cache" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
SERVICE = "class-round"
# what the test's service may do: users, their servers, their tokens
SERVICE_SCOPES = ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_tools() -> None:
    """Fail (never skip) with what to run when the hub's software is missing."""
    assert (COURSE_VENV / "bin" / "jupyterhub").exists(), (
        f"JupyterHub is not in {COURSE_VENV}: run `make course` (make test builds it)")
    assert PROXY.exists(), (f"configurable-http-proxy is missing at {PROXY}: run "
                            f"`bash tools/hub-proxy.sh` (make test runs it)")


def hub_config(tmp: Path, ports: dict, token: str, environment: dict,
               lecturers: tuple[str, ...]) -> str:
    """jupyterhub_config.py for a hub whose every file lives under ``tmp``; the lecturers'
    servers get course/lecturer-jupyter first on JUPYTER_CONFIG_PATH, with the hook
    course/README.md gives ("Your own server: Formgrader and the commands")."""
    args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
    return f"""
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{ports['public']}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{ports['hub']}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{ports['proxy_api']}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.ConfigurableHTTPProxy.pid_file = {str(tmp / 'proxy.pid')!r}
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(tmp / 'cookie_secret')!r}
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / 'home' / '{username}')!r}
c.Spawner.cmd = [{str(COURSE_VENV / 'bin' / 'jupyterhub-singleuser')!r}]
c.Spawner.args = {args!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.JupyterHub.services = [{{"name": {SERVICE!r}, "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": {SERVICE!r}, "scopes": {SERVICE_SCOPES!r},
                            "services": [{SERVICE!r}]}}]
LECTURERS = {set(lecturers)!r}

def lecturer_tools(spawner):
    if spawner.user.name in LECTURERS:
        spawner.environment = {{**spawner.environment,
                               "JUPYTER_CONFIG_PATH": {str(LECTURER_CONFIG)!r}}}

c.Spawner.pre_spawn_hook = lecturer_tools
"""


class Hub:
    """A running hub: ``url``, its service ``token``, its log, and the calls the test makes."""

    def __init__(self, tmp: Path, environment: dict, lecturers: tuple[str, ...] = ()):
        require_tools()
        self.tmp, self.token = tmp, secrets.token_hex(16)
        # the servers' kernels import the tcplab of the checkout under test, wherever
        # .venv-course's editable install points
        environment = {**environment, "PYTHONPATH": str(ROOT)}
        ports = {name: free_port() for name in ("public", "hub", "proxy_api")}
        self.url = f"http://127.0.0.1:{ports['public']}"
        (tmp / "jupyterhub_config.py").write_text(hub_config(tmp, ports, self.token,
                                                             environment, lecturers))
        self.log_path = tmp / "hub.log"
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR")}
        env["PATH"] = f"{COURSE_VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [str(COURSE_VENV / "bin" / "jupyterhub"), "-f", "jupyterhub_config.py"],
                cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)      # its own process group, stopped as one

    # ------------------------------------------------------------------ HTTP
    def request(self, method: str, path: str, body=None, token: str | None = None,
                timeout: float = 60) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"token {token or self.token}",
            "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def json(self, method: str, path: str, body=None, token: str | None = None,
             expect=(200, 201)):
        status, raw = self.request(method, path, body, token)
        assert status in expect, f"{method} {path}: HTTP {status}: {raw[:2000]!r}\n{self.log()}"
        return json.loads(raw) if raw else None

    def run_code(self, user: str, token: str, code: str, timeout: float = 60) -> str:
        """What ``code`` prints in a new kernel of ``user``'s own server (the kernel a
        notebook opened there gets: the server's environment, JUPYTERHUB_USER included)."""
        kernel = self.json("POST", f"/user/{user}/api/kernels", {"name": "python3"},
                           token=token)["id"]
        try:
            return asyncio.run(asyncio.wait_for(self._execute(user, token, kernel, code),
                                                timeout))
        finally:
            self.request("DELETE", f"/user/{user}/api/kernels/{kernel}", token=token)

    async def _execute(self, user: str, token: str, kernel: str, code: str) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        url = self.url.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel}/channels"
        ws = await websocket_connect(HTTPRequest(url, headers={
            "Authorization": f"token {token}"}))
        msg_id = secrets.token_hex(8)
        await ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user,
                       "session": secrets.token_hex(8), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        said = []
        while True:
            raw = await ws.read_message()
            assert raw is not None, "the kernel's channel closed"
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "stream":
                said.append(content["text"])
            elif kind == "error":
                raise AssertionError("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                ws.close()
                return "".join(said)

    def log(self) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "--- hub log (end) ---\n" + text[-6000:]

    # ------------------------------------------------------------------ the hub's life
    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the hub exited ({self.proc.returncode})\n{self.log()}"
            try:
                if self.request("GET", "/hub/api/", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the hub did not answer in {timeout} s\n{self.log()}")

    def start_servers(self, names: list[str], timeout: float = 120) -> dict[str, str]:
        """Create the users, start their servers all at once, wait until every one is
        ready; return a token of each user's own."""
        self.json("POST", "/hub/api/users", {"usernames": names})
        for name in names:
            self.json("POST", f"/hub/api/users/{name}/server", expect=(201, 202))
        deadline, waiting = time.monotonic() + timeout, set(names)
        while waiting and time.monotonic() < deadline:
            for name in sorted(waiting):
                server = self.json("GET", f"/hub/api/users/{name}")["servers"].get("", {})
                if server.get("ready"):
                    waiting.discard(name)
            time.sleep(0.5)
        assert not waiting, f"servers not ready after {timeout} s: {sorted(waiting)}\n{self.log()}"
        return {name: self.json("POST", f"/hub/api/users/{name}/tokens",
                                {"note": "class round"})["token"] for name in names}

    def stop(self) -> None:
        """Stop the hub and every process it started (servers, proxy), whatever happened."""
        started = descendants(self.proc.pid)
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)   # the hub stops its servers and proxy
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        for pid in started:                             # what the hub did not stop
            for group in (True, False):
                try:
                    (os.killpg if group else os.kill)(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first seen through /proc's parent ids)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        parents[int(stat.parent.name)] = int(text.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
