"""Sphinx configuration for skdl's documentation."""

import os
import sys

# The gallery runs every example in this process. On a small machine shared
# with other jobs, the OpenMP threads of scikit-learn's gradient boosting and
# of torch spin-wait for each other and an example runs ten times slower than
# with one thread each; set OMP_NUM_THREADS yourself to override.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import skdl  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # figure_scraper

project = "skdl"
author = "The skdl developers"
release = skdl.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.doctest",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
autosummary_generate = True
numpydoc_show_class_members = False
exclude_patterns = ["_build", "auto_examples/*.ipynb", "examples"]
html_theme = "pydata_sphinx_theme"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable", None),
    "sklearn": ("https://scikit-learn.org/stable", None),
    "torch": ("https://pytorch.org/docs/stable", None),
    "skorch": ("https://skorch.readthedocs.io/en/stable", None),
}

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    # skdl.report's figures are made without pyplot: figure_scraper.py saves
    # them, and must run before the matplotlib scraper (see its docstring).
    "image_scrapers": ("figure_scraper.skdl_figures", "matplotlib"),
}
