import unittest

from {{name}}_logic import empty_stats, fold


class FoldTest(unittest.TestCase):
    def test_folds_count_min_max_sum_average(self):
        stats = empty_stats()
        for payload in (b'{"t": 20}', b'{"t": 30}', b'{"t": 25}'):
            fold(stats, payload, "t")
        self.assertEqual(stats, {"count": 3, "min": 20, "max": 30, "sum": 75, "average": 25})


if __name__ == "__main__":
    unittest.main()
