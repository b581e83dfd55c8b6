import unittest

from {{name}}_logic import is_high


class IsHighTest(unittest.TestCase):
    def test_routes_values_above_the_threshold(self):
        self.assertTrue(is_high(b'{"value": 42}', 10))
        self.assertFalse(is_high(b'{"value": 7}', 10))
        self.assertFalse(is_high(b'{"status": "ok"}', 10))


if __name__ == "__main__":
    unittest.main()
