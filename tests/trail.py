"""The titles of the `tests/fixtures/trail` feed: five stories that link to each other and out."""

from __future__ import annotations

from tests.conftest import FIXTURES

TRAIL = FIXTURES / "trail"
A = "Reservoir levels hit a ten-year low"  # quality 90; related: B (local), DROUGHT (external)
B = "Farmers switch to drip irrigation"
C = "Drip kit maker doubles output"
D = "Video: walking the dry riverbed"
E = "Town council approves new rain tanks"
DROUGHT = "Drought map shows the dry belt widening"  # only a related entry: not in the feed
