"""sphinx-gallery image scraper for the figures that skdl.report returns.

skdl.report builds its plots as ``matplotlib.figure.Figure`` objects, without
pyplot, so sphinx-gallery's own matplotlib scraper, which reads pyplot's list
of open figures, never sees them. :func:`skdl_figures` runs after each code
block and saves every figure bound to a name of the example (the value of the
block's last expression included), once. Figures made with pyplot are left to
the matplotlib scraper, which must come after this one in ``image_scrapers``:
it closes them, and a closed pyplot figure looks like any other. ``conf.py``
names the function by its full name, ``figure_scraper.skdl_figures``: one
defined in ``conf.py`` itself cannot be pickled with Sphinx's environment.
"""

import weakref

_saved = weakref.WeakSet()


def skdl_figures(block, block_vars, gallery_conf):
    """Save the new figures among the example's variables; return their reST."""
    from matplotlib.figure import Figure
    from sphinx_gallery.scrapers import figure_rst

    paths, titles = [], []
    for value in list(block_vars["example_globals"].values()):
        if not isinstance(value, Figure) or value in _saved:
            continue
        _saved.add(value)
        if value.canvas.manager is None:  # not pyplot's: nobody else saves it
            path = next(block_vars["image_path_iterator"])
            value.savefig(path)
            paths.append(path)
            titles += [ax.get_title() for ax in value.axes if ax.get_title()]
    return figure_rst(paths, gallery_conf["src_dir"], ", ".join(titles))
