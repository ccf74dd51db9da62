"""Building blocks of the synthetic sample city generator (see ``sample_city/generate.py``).

Everything is computed in *local* metres (``u`` east, ``v`` north, origin at the district's
south-west corner) and shifted to Lambert-93 (EPSG:2154) only when files are written.
"""
