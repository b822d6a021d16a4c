"""Sphinx configuration for skdl's documentation."""

import os
import weakref

# The gallery runs every example in this process. On a small machine shared
# with other jobs, the OpenMP threads of scikit-learn's gradient boosting and
# of torch spin-wait for each other and an example runs ten times slower than
# with one thread each; set OMP_NUM_THREADS yourself to override.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import skdl  # noqa: E402

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


class FigureScraper:
    """Save the matplotlib figures that an example keeps in its variables.

    skdl.report builds its plots as ``matplotlib.figure.Figure`` objects,
    without pyplot, so sphinx-gallery's own matplotlib scraper, which reads
    pyplot's list of open figures, never sees them. This scraper, run after
    each code block, saves every figure bound to a name of the example (the
    value of a block's last expression included) once.
    """

    def __init__(self):
        self._saved = weakref.WeakSet()

    def __repr__(self):
        # A stable repr, so that sphinx does not think the configuration
        # changed and rebuild everything at every run.
        return "FigureScraper()"

    def __call__(self, block, block_vars, gallery_conf):
        from matplotlib.figure import Figure
        from sphinx_gallery.scrapers import figure_rst

        paths, titles = [], []
        for value in list(block_vars["example_globals"].values()):
            if isinstance(value, Figure) and value not in self._saved:
                path = next(block_vars["image_path_iterator"])
                value.savefig(path)
                self._saved.add(value)
                paths.append(path)
                titles += [ax.get_title() for ax in value.axes if ax.get_title()]
        return figure_rst(paths, gallery_conf["src_dir"], ", ".join(titles))


sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "image_scrapers": ("matplotlib", FigureScraper()),
}
