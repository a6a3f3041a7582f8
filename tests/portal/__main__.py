"""`python -m tests.portal [--port N]`: serve the test portal until interrupted."""

import argparse
import threading

from tests.portal.server import start_portal


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.portal", description=__doc__)
    parser.add_argument("--port", type=int, default=8899, help="port on 127.0.0.1 (0: any free)")
    args = parser.parse_args()
    with start_portal(args.port) as portal:
        print(f"test portal proxy: {portal.proxy_url}")
        print("try:")
        print(f"  curl -x {portal.proxy_url} http://www.anzhou.gov.cn/")
        print(
            f"  http_proxy={portal.proxy_url} scrapy crawl reports "
            "-a registry=tests/portal/registry.csv"
        )
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped")


if __name__ == "__main__":
    main()
