import unittest

from {{name}}_logic import window_end


class WindowEndTest(unittest.TestCase):
    def test_moves_to_the_end_of_the_window(self):
        self.assertEqual(window_end(1_700_000_003, 10), 1_700_000_010)
        self.assertEqual(window_end(1_700_000_010, 10), 1_700_000_020)


if __name__ == "__main__":
    unittest.main()
