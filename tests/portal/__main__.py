"""`python -m tests.portal [--port N]`: serve the test portal until interrupted;
`--scale N` serves N generated sites more (the registry-scale portal) and writes their
registry to `--registry`, with `--latency MIN-MAX` milliseconds per response."""

import argparse
import threading
from pathlib import Path

from tests.portal.registry_scale import build_scale_sites, write_scale_registry
from tests.portal.server import start_portal


def _latency(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low) / 1000, float(high or low) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.portal", description=__doc__)
    parser.add_argument("--port", type=int, default=8899, help="port on 127.0.0.1 (0: any free)")
    parser.add_argument("--scale", type=int, default=0, help="generated sites to add")
    parser.add_argument("--registry", type=Path, default=Path("data/scale_registry.csv"))
    parser.add_argument("--latency", type=_latency, default=(0.0, 0.0), help="ms, e.g. 50-200")
    args = parser.parse_args()
    sites = None
    registry = "tests/portal/registry.csv"
    if args.scale:
        sites = build_scale_sites(args.scale)
        args.registry.parent.mkdir(parents=True, exist_ok=True)
        rows = write_scale_registry(args.registry, args.scale)
        registry = str(args.registry)
        print(f"registry of {rows} portals: {registry}")
    with start_portal(args.port, sites, args.latency) as portal:
        print(f"test portal proxy: {portal.proxy_url}")
        print("try:")
        print(f"  curl -x {portal.proxy_url} http://www.anzhou.gov.cn/")
        print(f"  http_proxy={portal.proxy_url} scrapy crawl reports -a registry={registry}")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
