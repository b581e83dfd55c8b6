import unittest

from {{name}}_logic import keep


class KeepTest(unittest.TestCase):
    def test_drops_values_above_the_maximum(self):
        self.assertTrue(keep(b'{"value": 42}', 50))
        self.assertFalse(keep(b'{"value": 51}', 50))
        self.assertTrue(keep(b'{"status": "ok"}', 50))


if __name__ == "__main__":
    unittest.main()
