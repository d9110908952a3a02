"""The demo data's generators, one module per table: ``shop`` (the single-table online shop), ``music``
(the classic Artist / SongTitle catalogue), and ``common`` (the frozen clock, the seeded random
generators, Python value -> AttributeValue). The public face is :mod:`ddbtui.aws.demo_data`.

Pure: no boto3. The modules here import ``common`` and nothing else of ddbtui.
"""
