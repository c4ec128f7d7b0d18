"""Workshop hub load figure: N participants' servers started at once (N = 10, 20, 30).

Prints the time until every server is ready and the memory (RSS, psutil) of each participant's
server, plus the hub and the proxy. Runs as root on 127.0.0.1 only; the system accounts it
creates (unique prefix) are removed at the end, with the hub and every server.

    sudo .venv/bin/python benchmarks/hub_spawn.py [--sizes 10 20 30]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from toolkit.hub import accounts, lifecycle
from toolkit.hub.api import HubClient
from toolkit.hub.settings import GROUP, HubSettings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_processes(names: set[str]) -> dict[str, psutil.Process]:
    found = {}
    for proc in psutil.process_iter(["username", "cmdline"]):
        user = proc.info["username"]
        if user in names and "jupyterhub.singleuser" in " ".join(proc.info["cmdline"] or []):
            found[user] = proc
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 20, 30])
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("Ce banc d'essai crée des comptes système : lancez-le en root.")
        return 1
    biggest = max(args.sizes)
    prefix = "b" + secrets.token_hex(3)
    names = [f"{prefix}p{i:02d}" for i in range(biggest)]
    base = Path(tempfile.mkdtemp(prefix="atelier-hubbench-", dir="/tmp"))
    base.chmod(0o755)
    (base / "home").mkdir(mode=0o755)
    settings = HubSettings(state=str(base / "state"), port=_free_port(),
                           trainer=f"{prefix}anim", home_base=str(base / "home"),
                           start_timeout=600)
    rows = []
    group_existed = accounts.workshop_group() is not None
    try:
        t0 = time.monotonic()
        lifecycle.up(settings)
        print(f"hub démarré en {time.monotonic() - t0:.1f} s")
        csv = base / "participants.csv"
        csv.write_text("identifiant;nom\n" + "".join(f"{n};{n}\n" for n in names))
        t0 = time.monotonic()
        lifecycle.add_users(settings, accounts.read_participants(csv))
        print(f"{biggest} comptes créés en {time.monotonic() - t0:.1f} s "
              f"({os.cpu_count()} cœurs)")
        client = HubClient.from_settings(settings)
        client.timeout = 120
        for n in args.sizes:
            group = names[:n]
            t0 = time.monotonic()
            for name in group:
                client.start_server(name)
            ready = client.wait_ready(group, timeout=900)
            total = time.monotonic() - t0
            procs = _server_processes(set(group))
            rss = [p.memory_info().rss / 2**20 for p in procs.values()]
            hub_rss = psutil.Process(lifecycle.running_pid(Path(settings.state))).memory_info()
            proxy = psutil.Process(int(settings.layout.proxy_pid.read_text())).memory_info()
            rows.append((n, total, statistics.median(ready.values()), statistics.mean(rss),
                         max(rss), sum(rss), hub_rss.rss / 2**20, proxy.rss / 2**20))
            client.stop_servers(group)
    finally:
        try:
            lifecycle.down(settings.state)
        except Exception as exc:  # noqa: BLE001 - still remove the accounts below
            print(f"arrêt du hub incomplet : {exc}", file=sys.stderr)
        for name in [*names, settings.trainer]:
            try:
                accounts.remove_account(name)
            except Exception as exc:  # noqa: BLE001 - keep cleaning the others
                print(f"compte {name} non supprimé : {exc}", file=sys.stderr)
        shutil.rmtree(base, ignore_errors=True)
        group = accounts.workshop_group()
        if not group_existed and group is not None and not group.gr_mem:
            subprocess.run(["groupdel", GROUP], check=False)
    print()
    print("   N  tous prêts (s)  médiane (s)  RSS moyen/serveur (Mio)  RSS max  RSS total  "
          "hub  proxy")
    for n, total, median, mean, top, tot, hub, prox in rows:
        print(f"{n:>4}  {total:>14.1f}  {median:>11.1f}  {mean:>23.0f}  {top:>7.0f}  "
              f"{tot:>9.0f}  {hub:>3.0f}  {prox:>5.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
