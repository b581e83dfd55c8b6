import json
import unittest

from {{name}}_logic import scale_payload


class ScalePayloadTest(unittest.TestCase):
    def test_scales_the_value(self):
        out = json.loads(scale_payload(b'{"value": 14, "unit": "C"}', 3))
        self.assertEqual(out, {"value": 42, "unit": "C", "scaledBy": 3})


if __name__ == "__main__":
    unittest.main()
