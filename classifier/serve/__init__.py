"""``boilerline serve``: a local web page to look at the model's labels on a page, correct
them, save the page in the labeled-page format and retrain (needs the ``serve`` extra)."""
