"""This machine's address on the room's network, found without sending anything off the machine.

`lan_address()` asks the operating system which local address it would use to reach a private address:
connecting a UDP socket only picks a route, it sends no packet. `is_local_only(host)` tells whether a host
name or address can be reached from this machine alone (loopback, `localhost`, the unspecified address),
so a join link with it is useless to a phone.

`python -m wargame.network --port 8000` prints the address students open (PUBLIC_URL when it is set),
as `make classroom` shows it. Standard library only: the settings import it before Django is set up.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

# One private address per private range: whichever has a route gives the interface facing the room.
PROBES = ("10.255.255.254", "192.168.255.254", "172.31.255.254")
DISCARD_PORT = 9


def _route_source(probe: str) -> str | None:
    """The local IPv4 address the kernel would send from to reach `probe` (no packet leaves)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, DISCARD_PORT))
            return str(udp.getsockname()[0])
    except OSError:
        return None


def _interface_addresses() -> list[str]:
    """Linux: the IPv4 addresses of every interface, as `hostname -I` lists them (it asks the kernel, not
    the network; name lookups could send DNS or mDNS queries, so none is made). Elsewhere: none."""
    if not sys.platform.startswith("linux"):
        return []
    try:
        listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=2, check=True)
    except (OSError, subprocess.SubprocessError):
        return []
    return [word for word in listed.stdout.split() if _is_ipv4(word)]


def _is_ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines could reach, best first, without duplicates."""
    found = [_route_source(probe) for probe in PROBES] + _interface_addresses()
    addresses: list[str] = []
    for address in found:
        if address and not is_local_only(address) and address not in addresses:
            addresses.append(address)
    return addresses


def own_hosts() -> list[str]:
    """What other machines may call this one in a URL: its addresses, its host name and its mDNS name."""
    name = socket.gethostname().rstrip(".")
    names = [name, f"{name}.local"] if name and "." not in name else [name] if name else []
    return [*machine_addresses(), *names]


def lan_address() -> str | None:
    """The address phones in the room can reach this machine at, or None when it has no network."""
    addresses = machine_addresses()
    return addresses[0] if addresses else None


def is_local_only(host: str) -> bool:
    """True for a host (name or address, IPv6 in brackets or not) that only this machine can open."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost") or not name:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def base_url(port: int, *, scheme: str = "http") -> str:
    """What students open: PUBLIC_URL when set, else this machine's LAN address (loopback without one)."""
    public = os.environ.get("PUBLIC_URL", "").strip()
    if public:
        return public.rstrip("/")
    return f"{scheme}://{lan_address() or '127.0.0.1'}:{port}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Print the base URL students open.")
    parser.add_argument("--port", type=int, default=8000)
    url = base_url(parser.parse_args(argv).port)
    print(url)
    if is_local_only(urlsplit(url).hostname or ""):
        print(
            "warning: no network address found; phones cannot join. Connect this computer to the room's "
            "network (or a phone hotspot) and start again.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
