"""Writers of the bundled sample deliveries (one module per source), byte-reproducible.

openpyxl serialises XML with lxml when lxml is installed and with the standard library otherwise,
and the two give different bytes: the writers always use the standard library, so the files they
write do not depend on what else the environment holds.
"""

import os

os.environ["OPENPYXL_LXML"] = "False"
