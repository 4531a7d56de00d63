"""boilerline where corpus builders already work: a datatrove pipeline step
(``classifier.integrations.datatrove``) and a function for Hugging Face ``Dataset.map``
(``classifier.integrations.hf_datasets``). Each needs its optional extra
(``pip install -e '.[datatrove]'`` or ``'.[datasets]'`` from the clone)."""
