"""Build the graph into output/: a shim over ``kg build`` (see ``kg build --help``)."""

import sys

from kg.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
