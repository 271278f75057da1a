"""`python -m benchmarks --scale ...`: the benchmark (benchmarks.run).

Started this way, the generator's worker processes do not import the benchmark (and with
it Dagster, about 300 MB each): multiprocessing's spawn re-imports the main module in every
worker unless that module is a package's `__main__`.
"""

from benchmarks.run import main

if __name__ == "__main__":
    main()
