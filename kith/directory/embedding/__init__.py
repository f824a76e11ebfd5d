"""Meaning-based (dense) retrieval for the directory: a static sentence-embedding model that
runs on numpy alone (`model`), the listings' vectors and their nearest-neighbour search
(`index`), and the fusion of dense with lexical candidates (`fusion`). See model/README.md.
"""
