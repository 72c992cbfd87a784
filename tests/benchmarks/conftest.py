def pytest_configure(config):
    config.addinivalue_line("markers", "fast: quick enough for every run (the benchmark smoke test)")
